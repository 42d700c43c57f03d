import io
import json
from datetime import timedelta, timezone

from PIL import Image

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import MychatHttpCase, load_sample

PAGE = "682498302938465"
PSID = "1254938275682919"
EVENTS = load_sample("meta_events.json").decode()


def ms(when):
    """Meta's millisecond timestamp of a naive UTC datetime."""
    return int(when.replace(tzinfo=timezone.utc).timestamp() * 1000)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestMetaMessaging(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        values = {"secret": "page_app_secret", "verify_token": "verify-page", "access_token": "page-token"}
        cls.page = cls.env["mychat.channel"].create(
            {
                "name": "Messenger test",
                "channel_type": "messenger",
                "external_account_id": PAGE,
                "api_base_url": f"{cls.fake.url}/v23.0",
                **values,
            }
        )
        cls.insta = cls.env["mychat.channel"].create(
            {
                "name": "Instagram test",
                "channel_type": "instagram",
                "external_account_id": "17841499999999999",
                "api_base_url": f"{cls.fake.url}/v23.0",
                **values,
            }
        )

    def setUp(self):
        super().setUp()
        self.fake.route(
            "GET", r"^/v23\.0/\d+\?", (400, {"error": {"message": "no profile in this test", "code": 100}})
        )

    def sample(self, name):
        return json.loads(EVENTS.replace("FAKE/", f"{self.fake.url}/"))[name]

    def post(self, payload, channel=None, secret="page_app_secret"):
        return self.post_signed(payload, channel=channel or self.page, secret=secret)

    def messages(self, channel=None):
        return self.env["mychat.message"].search([("channel_id", "=", (channel or self.page).id)])

    def text_event(self, mid, text="hello", when=None):
        stamp = ms(when or fields.Datetime.now() - timedelta(hours=1))
        event = {
            "sender": {"id": PSID},
            "recipient": {"id": PAGE},
            "timestamp": stamp,
            "message": {"mid": mid, "text": text},
        }
        return {"object": "page", "entry": [{"id": PAGE, "time": stamp, "messaging": [event]}]}

    # ------------------------------------------------------------------ inbound

    def test_handshake_and_signed_text(self):
        url = (
            self.webhook_url(self.page) + "?hub.mode=subscribe&hub.verify_token=verify-page&hub.challenge=42"
        )
        self.assertEqual(self.url_open(url).text, "42")
        pic = png_bytes()
        self.fake.route(
            "GET",
            rf"^/v23\.0/{PSID}\?fields=first_name%2Clast_name%2Cprofile_pic$",
            (
                200,
                {"first_name": "Ana", "last_name": "Silva", "profile_pic": f"{self.fake.url}/pic/{PSID}.png"},
            ),
        )
        self.fake.route("GET", rf"^/pic/{PSID}\.png$", (200, (pic, "image/png")))
        body = load_sample("messenger_text.json")
        self.assertEqual(self.post(body).status_code, 200)
        self.process()
        message = self.messages()
        self.assertEqual(
            (message.external_id, message.body), ("mid.1457764197618:41d102a3e1ae206a38", "hello, world!")
        )
        self.assertEqual(str(message.date), "2016-03-23 00:25:52", "Meta timestamps are milliseconds")
        contact = message.conversation_id.contact_id
        self.assertEqual(
            (contact.external_id, contact.name), (PSID, "Ana Silva"), "profile fetched for a new sender"
        )
        self.assertTrue(contact.image_128)
        self.assertEqual(message.conversation_id.window_expires_at, message.date + timedelta(hours=24))
        (profile_call,) = self.fake.calls("GET", rf"/v23\.0/{PSID}")
        self.assertEqual(profile_call["headers"]["Authorization"], "Bearer page-token")

    def test_profile_failure_degrades(self):
        self.post(load_sample("messenger_text.json"))
        self.process()
        message = self.messages()
        self.assertTrue(message, "the message is kept without a profile")
        self.assertFalse(message.conversation_id.contact_id.name)

    def test_refused(self):
        body = load_sample("messenger_text.json")
        self.assertEqual(self.post(body, secret="wrong").status_code, 403)
        missing = self.url_open(
            self.webhook_url(self.page), data=body, headers={"Content-Type": "application/json"}
        )
        self.assertEqual(missing.status_code, 403)
        self.assertFalse(self.env["mychat.event"].search([("channel_id", "=", self.page.id)]))

    def test_duplicates_absorbed_by_mid(self):
        body = load_sample("messenger_text.json")
        self.post(body)
        self.post(body)
        payload = json.loads(body)
        payload["entry"][0]["time"] += 1  # another delivery carrying the same message
        self.post(payload)
        self.assertEqual(len(self.env["mychat.event"].search([("channel_id", "=", self.page.id)])), 2)
        self.process()
        self.assertEqual(len(self.messages()), 1)

    def test_reply_reaction_postback_unsend(self):
        self.post(load_sample("messenger_text.json"))
        for name in ("reply", "reaction", "postback"):
            self.post(self.sample(name))
        self.process()
        first = self.messages().filtered(lambda m: m.external_id == "mid.1457764197618:41d102a3e1ae206a38")
        self.assertEqual(first.reaction, "\u2764\ufe0f")
        reply = self.messages().filtered(lambda m: m.external_id == "m_1457764197618:41d102a3e1ae206a38")
        self.assertEqual(reply.reply_to_id, first)
        postback = self.messages().filtered(lambda m: m.external_id == "m_postback_1")
        self.assertEqual((postback.body, postback.message_type), ("Get a quote (QUOTE_START)", "postback"))
        self.assertEqual(len(self.messages()), 3, "a reaction is no message")
        self.post(self.sample("unreact"))
        self.post(self.sample("unsent"))
        self.process()
        self.assertFalse(first.reaction)
        self.assertEqual(first.body, "This message was deleted by the sender.")
        self.assertEqual(len(self.messages()), 3)

    def test_attachments_fetched_from_allowed_hosts_only(self):
        self.fake.route("GET", r"^/media/photo\.jpg$", (200, (b"JPEG", "image/jpeg")))
        self.fake.route("GET", r"^/media/plan\.pdf$", (200, (b"%PDF", "application/pdf")))
        self.post(self.sample("attachments"))
        self.post(self.sample("bad_hosts"))
        self.process()
        good = self.messages().filtered(lambda m: m.external_id == "mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c")
        self.assertEqual(sorted(good.attachment_ids.mapped("mimetype")), ["application/pdf", "image/jpeg"])
        self.assertIn("[fallback] An article https://example.com/article", good.body)
        bad = self.messages().filtered(lambda m: m.external_id == "mid.badhosts")
        self.assertFalse(bad.attachment_ids)
        self.assertEqual(bad.failure_reason.count("not a host of this provider"), 4)
        fetched = [
            r["path"]
            for r in self.fake.requests
            if r["method"] == "GET" and not r["path"].startswith("/v23.0")
        ]
        self.assertEqual(sorted(fetched), ["/media/photo.jpg", "/media/plan.pdf"])

    def test_echo_stored_as_outbound(self):
        self.post(load_sample("messenger_text.json"))
        self.post(self.sample("echo"))
        self.post(self.sample("own_echo"))
        self.process()
        echo = self.messages().filtered(lambda m: m.external_id == "mid.echo.inbox")
        self.assertEqual((echo.direction, echo.author_kind, echo.state), ("outbound", "agent", "sent"))
        self.assertEqual(echo.conversation_id.contact_id.external_id, PSID, "the customer is the recipient")
        self.assertFalse(echo.conversation_id.awaiting_reply)
        self.assertFalse(
            self.messages().filtered(lambda m: m.external_id == "mid.echo.ours"), "our own send's echo"
        )
        # Instagram echoes carry no metadata: the app id tells ours from the others
        self.insta.meta_app_id = "1517776481860111"
        for app_id, mid in (("1517776481860111", "ig.echo.ours"), ("263902037430900", "ig.echo.inbox")):
            echo = {"mid": mid, "is_echo": True, "app_id": int(app_id), "text": "hi"}
            event = {
                "sender": {"id": "17841499999999999"},
                "recipient": {"id": "17841400000000001"},
                "timestamp": 1458692752600,
                "message": echo,
            }
            self.post(
                {"object": "instagram", "entry": [{"id": "17841499999999999", "messaging": [event]}]},
                self.insta,
            )
        self.process()
        self.assertEqual(self.messages(self.insta).mapped("external_id"), ["ig.echo.inbox"])

    # ------------------------------------------------------------------ outbound, statuses

    def conversation(self, hours_ago=1):
        when = fields.Datetime.now() - timedelta(hours=hours_ago)
        self.post(self.text_event(f"mid.in.{hours_ago}", when=when))
        self.process()
        return self.messages().conversation_id

    def route_send(self, *responses):
        self.fake.route(
            "POST",
            rf"^/v23\.0/{PAGE}/messages$",
            *(responses or [(200, {"recipient_id": PSID, "message_id": "m_out_1"})]),
        )

    def test_send_inside_window_with_quick_replies(self):
        conv = self.conversation()
        self.route_send()
        message = self.env["mychat.message"].browse(conv.send_reply("Pick one", buttons=["Small", "Large"]))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.external_id), ("sent", "m_out_1"))
        (request,) = self.fake.calls("POST", "/messages")
        self.assertEqual(request["headers"]["Authorization"], "Bearer page-token")
        self.assertEqual(
            request["json"],
            {
                "recipient": {"id": PSID},
                "messaging_type": "RESPONSE",
                "message": {
                    "text": "Pick one",
                    "quick_replies": [
                        {"content_type": "text", "title": "Small", "payload": "Small"},
                        {"content_type": "text", "title": "Large", "payload": "Large"},
                    ],
                    "metadata": f"mychat:{message.id}",
                },
            },
        )

    def test_send_attachment_by_url(self):
        conv = self.conversation()
        self.route_send()
        photo = self.env["ir.attachment"].create(
            {"name": "roof.jpg", "raw": b"JPEG", "mimetype": "image/jpeg"}
        )
        conv.send_reply("", attachment_ids=[photo.id])
        self.env["mychat.message"]._cron_send_queued()
        (request,) = self.fake.calls("POST", "/messages")
        attachment = request["json"]["message"]["attachment"]
        self.assertEqual(attachment["type"], "image")
        self.assertIn(f"/web/content/{photo.id}?access_token=", attachment["payload"]["url"])
        self.assertEqual(
            self.url_open(attachment["payload"]["url"]).content, b"JPEG", "the provider can fetch it"
        )

    def test_window_and_human_agent_tag(self):
        conv = self.conversation(hours_ago=30)
        with self.assertRaisesRegex(UserError, "window .* closed.*Human agent replies"):
            conv.send_reply("too late")
            self.env["mychat.message"]._cron_send_queued()
        self.page.meta_human_agent = True
        self.assertEqual(conv.window_expires_at, conv.last_inbound_date + timedelta(days=7))
        self.route_send()
        message = self.env["mychat.message"].browse(conv.send_reply("a person answers"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "sent")
        body = self.fake.calls("POST", "/messages")[0]["json"]
        self.assertEqual((body["messaging_type"], body["tag"]), ("MESSAGE_TAG", "HUMAN_AGENT"))
        bot = self.env["mychat.message"].browse(
            conv.with_context(mychat_author_kind="bot").send_reply("a bot")
        )
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(
            (bot.state, bot.failure_kind), ("failed", "window"), "HUMAN_AGENT is for people only"
        )
        self.assertEqual(len(self.fake.calls("POST", "/messages")), 1)
        conv.last_inbound_date = fields.Datetime.now() - timedelta(days=8)
        with self.assertRaisesRegex(UserError, "until the customer writes again"):
            conv.send_reply("a week later")
            self.env["mychat.message"]._cron_send_queued()

    def test_channel_form(self):
        with Form(self.env["mychat.channel"]) as form:
            form.name = "Page"
            form.channel_type = "messenger"
            form.meta_human_agent = True
            self.assertEqual(form.api_base_url, "https://graph.facebook.com/v23.0")
        self.assertEqual(form.record._mychat_window_hours(), 168)
        form.record.channel_type = "instagram"
        self.assertEqual(form.record._mychat_window_hours(), 168)
        form.record.meta_human_agent = False
        self.assertEqual(form.record._mychat_window_hours(), 24)

    def test_error_mapping(self):
        conv = self.conversation()
        window = {
            "error": {
                "message": "(#10) This message is sent outside of allowed window.",
                "type": "OAuthException",
                "code": 10,
                "error_subcode": 2018278,
                "fbtrace_id": "x",
            }
        }
        unavailable = {"error": {"message": "(#551) This person isn't available right now.", "code": 551}}
        token = {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}
        for payload, kind, words in (
            (window, "window", "reply window is closed"),
            (unavailable, "permanent", "blocked the Page"),
            (token, "auth", "reconnect the channel"),
        ):
            self.route_send((400, payload))
            message = self.env["mychat.message"].browse(conv.send_reply("x"))
            self.env["mychat.message"]._cron_send_queued()
            self.assertEqual((message.state, message.failure_kind), ("failed", kind))
            self.assertIn(words, message.failure_reason)
        self.route_send((500, {"error": {"message": "oops", "code": 2}}), (200, {"message_id": "m_out_2"}))
        message = self.env["mychat.message"].browse(conv.send_reply("x"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("queued", "transient"))
        message._mychat_attempt_send()
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.external_id), ("sent", "m_out_2"))
        self.route_send(
            (
                429,
                {"error": {"message": "Application request limit reached", "code": 4}},
                {"Retry-After": "300"},
            )
        )
        before = fields.Datetime.now()
        message = self.env["mychat.message"].browse(conv.send_reply("x"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "queued")
        self.assertGreaterEqual(message.next_attempt_date, before + timedelta(seconds=299))

    def test_delivery_and_read_watermarks(self):
        conv = self.conversation()
        self.route_send(
            (200, {"message_id": "m_out_a"}),
            (200, {"message_id": "m_out_b"}),
            (200, {"message_id": "m_out_c"}),
        )
        first = self.env["mychat.message"].browse(conv.send_reply("a"))
        self.env["mychat.message"]._cron_send_queued()
        second = self.env["mychat.message"].browse(conv.send_reply("b"))
        self.env["mychat.message"]._cron_send_queued()
        later = self.env["mychat.message"].browse(conv.send_reply("c"))
        self.env["mychat.message"]._cron_send_queued()
        later.date = fields.Datetime.now() + timedelta(minutes=5)
        now_ms = ms(fields.Datetime.now())
        self.post(
            {
                "object": "page",
                "entry": [
                    {
                        "id": PAGE,
                        "time": now_ms,
                        "messaging": [
                            {
                                "sender": {"id": PSID},
                                "recipient": {"id": PAGE},
                                "timestamp": now_ms,
                                "delivery": {"mids": ["m_out_a"], "watermark": now_ms},
                            }
                        ],
                    }
                ],
            }
        )
        self.process()
        self.assertEqual((first.state, second.state, later.state), ("delivered", "delivered", "sent"))
        self.post(
            {
                "object": "page",
                "entry": [
                    {
                        "id": PAGE,
                        "time": now_ms + 1,
                        "messaging": [
                            {
                                "sender": {"id": PSID},
                                "recipient": {"id": PAGE},
                                "timestamp": now_ms + 1,
                                "read": {"watermark": now_ms},
                            }
                        ],
                    }
                ],
            }
        )
        self.process()
        self.assertEqual((first.state, second.state, later.state), ("read", "read", "sent"))
        # the reference's old samples move nothing backwards
        self.post(self.sample("delivery"))
        self.process()
        self.assertEqual(first.state, "read")

    def test_instagram(self):
        self.fake.route(
            "GET",
            r"^/v23\.0/17841400000000001\?fields=name%2Cusername%2Cprofile_pic$",
            (200, {"name": "", "username": "ana.ig"}),
        )
        self.post(self.sample("instagram_text"), channel=self.insta)
        self.post(self.sample("instagram_text"), channel=self.page)  # wrong channel type: kept as failed
        self.process()
        message = self.messages(self.insta)
        self.assertEqual(message.body, "hi from instagram")
        self.assertEqual(message.conversation_id.contact_id.name, "ana.ig")
        page_event = self.env["mychat.event"].search([("channel_id", "=", self.page.id)])
        self.assertEqual(page_event.state, "failed")
        conv = message.conversation_id
        conv.last_inbound_date = fields.Datetime.now()
        self.fake.route(
            "POST", r"^/v23\.0/17841499999999999/messages$", (200, {"message_id": "aWdfIG_OUT_1"})
        )
        sent = self.env["mychat.message"].browse(conv.send_reply("hello"))
        self.env["mychat.message"]._cron_send_queued()
        body = self.fake.calls("POST", "/messages")[0]["json"]
        self.assertEqual(
            body,
            {
                "recipient": {"id": "17841400000000001"},
                "messaging_type": "RESPONSE",
                "message": {"text": "hello"},
            },
        )
        self.post(self.sample("instagram_seen"), channel=self.insta)
        self.process()
        self.assertEqual(sent.state, "read")

    def test_contact_picture_is_an_image(self):
        self.fake.route(
            "GET",
            rf"^/v23\.0/{PSID}\?",
            (200, {"first_name": "Ana", "profile_pic": f"{self.fake.url}/p.png"}),
        )
        self.fake.route("GET", r"^/p\.png$", (200, (b"not an image", "image/png")))
        self.post(load_sample("messenger_text.json"))
        self.process()
        contact = self.messages().conversation_id.contact_id
        self.assertEqual(contact.name, "Ana", "a broken picture keeps the name")
        self.assertFalse(contact.image_128)
