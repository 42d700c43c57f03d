import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import Form, tagged

from .common import MychatHttpCase, load_sample

TOKEN = "123456:TEST-bot-token"
SECRET = "tg-secret_token-1"
UPDATES = json.loads(load_sample("telegram_updates.json"))


@tagged("post_install", "-at_install")
class TestTelegram(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tg = cls.env["mychat.channel"].create(
            {
                "name": "Telegram test",
                "channel_type": "telegram",
                "secret": SECRET,
                "access_token": TOKEN,
                "external_account_id": "123456",
                "api_base_url": cls.fake.url,
            }
        )

    def post_update(self, update, secret=SECRET):
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return self.url_open(self.webhook_url(self.tg), data=body, headers=headers)

    def events(self):
        return self.env["mychat.event"].search([("channel_id", "=", self.tg.id)])

    def messages(self):
        return self.env["mychat.message"].search([("channel_id", "=", self.tg.id)])

    def bot_path(self, method):
        return f"^/bot{TOKEN}/{method}$"

    def ok(self, result):
        return 200, {"ok": True, "result": result}

    # ------------------------------------------------------------------ inbound

    def test_text_accepted(self):
        body = load_sample("telegram_text.json")
        self.assertEqual(self.post_update(body).status_code, 200)
        event = self.events()
        self.assertEqual(event.dedupe_key, "2342342343242", "the delivery key is Telegram's update_id")
        self.assertEqual(event.payload.encode(), body)
        self.process()
        self.assertEqual(event.state, "done")
        message = self.messages()
        self.assertEqual(message.external_id, "23:1", "(chat id, message id)")
        self.assertEqual(message.body, "test")
        self.assertEqual(message.date, datetime(2021, 9, 8, 20, 14, 37))
        contact = message.conversation_id.contact_id
        self.assertEqual((contact.external_id, contact.name), ("23", "Sojan Jose"))
        self.assertFalse(message.conversation_id.window_expires_at, "Telegram has no reply window")

    def test_refused_bad_missing_or_no_secret(self):
        body = load_sample("telegram_text.json")
        self.assertEqual(self.post_update(body, secret="wrong").status_code, 403)
        self.assertEqual(self.post_update(body, secret=None).status_code, 403)
        self.tg.secret = False
        self.assertEqual(self.post_update(body, secret="").status_code, 403)
        self.assertEqual(self.post_update(body).status_code, 403)
        self.assertFalse(self.events(), "nothing stored for an unauthentic call")

    def test_duplicates_absorbed(self):
        body = load_sample("telegram_text.json")
        for _i in range(3):
            self.assertEqual(self.post_update(body).status_code, 200)
        self.assertEqual(len(self.events()), 1)
        # the same message in another update (a replay after a week of silence) is still one message
        update = json.loads(body)
        update["update_id"] = 99
        self.post_update(update)
        self.process()
        self.assertEqual(len(self.events()), 2)
        self.assertEqual(len(self.messages()), 1)

    def test_every_message_type(self):
        self.fake.route(
            "POST", self.bot_path("getFile"), self.ok({"file_id": "x", "file_path": "files/file_7.bin"})
        )
        self.fake.route(
            "GET", f"^/file/bot{TOKEN}/files/file_7.bin$", (200, (b"FILEDATA", "application/octet-stream"))
        )
        for name in ("photo", "document", "voice", "video", "location", "contact"):
            self.assertEqual(self.post_update(UPDATES[name]).status_code, 200)
        self.process()
        by_id = {m.external_id: m for m in self.messages()}
        photo = by_id["23:2"]
        self.assertEqual((photo.message_type, photo.body), ("image", "test"))
        asked = [r["json"]["file_id"] for r in self.fake.calls("POST", "getFile")]
        self.assertEqual(asked, ["photo-large", "doc-1", "voice-1", "video-1"], "the largest photo size only")
        self.assertEqual(photo.attachment_ids.mimetype, "image/jpeg")
        self.assertEqual(photo.attachment_ids.raw, b"FILEDATA")
        self.assertEqual(by_id["23:3"].attachment_ids.name, "Screenshot 2021-09-27 at 2.01.14 PM.png")
        self.assertEqual(by_id["23:4"].message_type, "voice")
        self.assertEqual(by_id["23:4"].attachment_ids.mimetype, "audio/ogg")
        self.assertEqual(by_id["23:5"].message_type, "video")
        self.assertEqual(
            by_id["23:6"].body, "📍 Dizengoff Center — Tel Aviv\nhttps://maps.google.com/?q=32.0853,34.7818"
        )
        self.assertEqual(by_id["23:7"].body, "👤 Dana Levi +972541234567")
        self.assertEqual(len(self.messages().conversation_id), 1)
        self.assertFalse(any(self.messages().mapped("failure_reason")), "every file downloaded")

    def test_edited_message_stays_one_message(self):
        self.post_update(load_sample("telegram_text.json"))
        self.post_update(UPDATES["edited"])
        self.process()
        message = self.messages()
        self.assertEqual(len(message), 1)
        self.assertEqual(message.body, "test (edited)")
        self.assertEqual(message.edited_date, datetime(2021, 9, 8, 20, 16, 17))

    def test_reply(self):
        self.post_update(load_sample("telegram_text.json"))
        self.post_update(UPDATES["reply"])
        self.process()
        reply = self.messages().filtered(lambda m: m.external_id == "23:8")
        self.assertEqual(reply.reply_to_id.external_id, "23:1")

    def test_callback_button(self):
        self.fake.route("POST", self.bot_path("answerCallbackQuery"), self.ok(True))
        self.post_update(UPDATES["callback"])
        self.process()
        message = self.messages()
        self.assertEqual(
            (message.body, message.message_type, message.direction), ("Yes", "button", "inbound")
        )
        answers = self.fake.calls("POST", "answerCallbackQuery")
        self.assertEqual([a["json"] for a in answers], [{"callback_query_id": "4382bfdwdsb323b2d9"}])

    def test_group_chat_ignored(self):
        self.post_update(UPDATES["group"])
        self.process()
        self.assertEqual(self.events().state, "done")
        self.assertFalse(self.messages(), "only private chats are customer conversations")

    # ------------------------------------------------------------------ outbound

    def conversation(self):
        self.post_update(load_sample("telegram_text.json"))
        self.process()
        return self.messages().conversation_id

    def test_send_text_reply_and_buttons(self):
        conv = self.conversation()
        self.fake.route("POST", self.bot_path("sendMessage"), self.ok({"message_id": 42, "date": 1631132100}))
        message_id = conv.send_reply(
            "Which size?", reply_to_id=conv.mychat_message_ids.id, buttons=["Small", "Large"]
        )
        self.env["mychat.message"]._cron_send_queued()
        message = self.env["mychat.message"].browse(message_id)
        self.assertEqual((message.state, message.external_id), ("sent", "23:42"))
        (request,) = self.fake.calls("POST", "sendMessage")
        self.assertEqual(
            request["json"],
            {
                "chat_id": "23",
                "text": "Which size?",
                "reply_parameters": {"message_id": 1},
                "reply_markup": {
                    "inline_keyboard": [
                        [{"text": "Small", "callback_data": "Small"}],
                        [{"text": "Large", "callback_data": "Large"}],
                    ]
                },
            },
        )

    def test_send_media_multipart(self):
        conv = self.conversation()
        self.fake.route("POST", self.bot_path("sendPhoto"), self.ok({"message_id": 43}))
        self.fake.route("POST", self.bot_path("sendDocument"), self.ok({"message_id": 44}))
        photo = self.env["ir.attachment"].create(
            {"name": "roof.jpg", "raw": b"JPEGDATA", "mimetype": "image/jpeg"}
        )
        pdf = self.env["ir.attachment"].create(
            {"name": "quote.pdf", "raw": b"%PDF-1", "mimetype": "application/pdf"}
        )
        message = self.env["mychat.message"].browse(
            conv.send_reply("Your quote", attachment_ids=[photo.id, pdf.id])
        )
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.external_id), ("sent", "23:43"))
        (sent_photo,) = self.fake.calls("POST", "sendPhoto")
        self.assertTrue(sent_photo["headers"]["Content-Type"].startswith("multipart/form-data"))
        for part in (
            b'name="chat_id"\r\n\r\n23',
            b'name="caption"\r\n\r\nYour quote',
            b'name="photo"; filename="roof.jpg"',
        ):
            self.assertIn(part, sent_photo["body"])
        self.assertIn(b"JPEGDATA", sent_photo["body"])
        (sent_doc,) = self.fake.calls("POST", "sendDocument")
        self.assertIn(b'name="document"; filename="quote.pdf"', sent_doc["body"])
        self.assertNotIn(b'name="caption"', sent_doc["body"], "the caption goes with the first file only")
        self.assertFalse(self.fake.calls("POST", "sendMessage"))

    def test_429_retry_after_honoured(self):
        conv = self.conversation()
        self.fake.route(
            "POST",
            self.bot_path("sendMessage"),
            (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 120",
                    "parameters": {"retry_after": 120},
                },
            ),
            self.ok({"message_id": 45}),
        )
        before = fields.Datetime.now()
        message = self.env["mychat.message"].browse(conv.send_reply("hello"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("queued", "transient"))
        self.assertGreaterEqual(message.next_attempt_date, before + timedelta(seconds=119))
        self.assertIn("120", message.failure_reason)
        message._mychat_attempt_send()
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.external_id), ("sent", "23:45"))

    def test_5xx_retried_4xx_permanent_401_auth(self):
        conv = self.conversation()
        self.fake.route(
            "POST", self.bot_path("sendMessage"), (502, b"Bad Gateway"), self.ok({"message_id": 46})
        )
        message = self.env["mychat.message"].browse(conv.send_reply("one"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "queued")
        message._mychat_attempt_send()
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "sent")
        blocked = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        self.fake.route("POST", self.bot_path("sendMessage"), (403, blocked))
        message = self.env["mychat.message"].browse(conv.send_reply("two"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("failed", "permanent"))
        self.assertIn("blocked the bot", message.failure_reason)
        # a blocked bot is an opt-out: nothing more is sent until the customer opts in again
        self.assertEqual(
            self.env["mychat.consent"]._mychat_status(self.tg, contact=conv.contact_id), "opted_out"
        )
        self.env["mychat.consent"]._mychat_record(
            self.tg, "opted_in", "keyword", contact=conv.contact_id, proof="/start"
        )
        self.fake.route(
            "POST",
            self.bot_path("sendMessage"),
            (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
        )
        message = self.env["mychat.message"].browse(conv.send_reply("three"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("failed", "auth"))

    def test_bot_token_never_in_errors(self):
        conv = self.conversation()
        self.tg.api_base_url = "http://127.0.0.1:9"  # nothing listens: the network error names the URL
        message = self.env["mychat.message"].browse(conv.send_reply("hello"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "queued")
        self.assertNotIn(TOKEN, message.failure_reason)
        self.assertIn("could not be reached", message.failure_reason, "plain words for the agent")
        self.assertNotIn(TOKEN, message.failure_detail)
        self.assertIn("127.0.0.1", message.failure_detail, "the network error, for the administrator")

    def test_channel_form(self):
        with Form(self.env["mychat.channel"]) as form:
            form.name = "Support bot"
            form.channel_type = "telegram"
            self.assertEqual(form.api_base_url, "https://api.telegram.org", "the provider's default API root")
            form.access_token = TOKEN
            form.public_url = "https://chat.example.com/mychat/webhook/x"
        channel = form.record
        self.assertFalse(channel.secret, "no secret until the webhook is set: every update is refused")
        channel.api_base_url = self.fake.url
        self.fake.route("POST", self.bot_path("getMe"), self.ok({"id": 1, "username": "support_bot"}))
        self.fake.route("POST", self.bot_path("setWebhook"), self.ok(True))
        action = channel.action_telegram_set_webhook()
        self.assertIn("@support_bot", action["params"]["message"])
        self.assertEqual(self.fake.calls("POST", "setWebhook")[0]["json"]["url"], channel.public_url)
        self.assertTrue(channel.telegram_webhook_date)

    def test_set_webhook_button(self):
        self.fake.route(
            "POST", self.bot_path("getMe"), self.ok({"id": 987654, "is_bot": True, "username": "shop_bot"})
        )
        self.fake.route("POST", self.bot_path("setWebhook"), self.ok(True))
        old_secret = self.tg.secret
        self.tg.action_telegram_set_webhook()
        (request,) = self.fake.calls("POST", "setWebhook")
        sent = request["json"]
        self.assertEqual(sent["url"], self.tg.webhook_url)
        self.assertNotIn(TOKEN, sent["url"], "the bot token stays out of our URL")
        self.assertNotIn(TOKEN.split(":")[0], sent["url"])
        self.assertEqual(sent["secret_token"], self.tg.secret)
        self.assertNotEqual(self.tg.secret, old_secret)
        self.assertRegex(self.tg.secret, r"^[A-Za-z0-9_-]{1,256}$")
        self.assertEqual(sent["allowed_updates"], ["message", "edited_message", "callback_query"])
        self.assertEqual(self.tg.external_account_id, "987654")
        # the new secret is what Telegram now sends
        self.assertEqual(
            self.post_update(load_sample("telegram_text.json"), secret=self.tg.secret).status_code, 200
        )
        self.assertEqual(self.post_update(UPDATES["reply"], secret=old_secret).status_code, 403)

    def test_withdraw_deletes_for_customer(self):
        conv = self.conversation()
        self.fake.route("POST", self.bot_path("sendMessage"), self.ok({"message_id": 47}))
        self.fake.route("POST", self.bot_path("deleteMessage"), self.ok(True))
        message = self.env["mychat.message"].browse(conv.send_reply("oops"))
        self.env["mychat.message"]._cron_send_queued()
        message.action_withdraw()
        self.assertTrue(message.recalled)
        self.assertEqual(
            self.fake.calls("POST", "deleteMessage")[0]["json"], {"chat_id": "23", "message_id": 47}
        )
