import base64
from datetime import timedelta
from urllib.parse import parse_qsl, quote, urlencode

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..tools.signatures import twilio_signature
from .common import MychatHttpCase, load_sample

SID = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
TOKEN = "twilio_auth_token"
MESSAGES_PATH = rf"^/2010-04-01/Accounts/{SID}/Messages\.json$"


@tagged("post_install", "-at_install")
class TestSms(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms = cls.env["mychat.channel"].create(
            {
                "name": "SMS test",
                "channel_type": "sms",
                "secret": TOKEN,
                "sms_account_sid": SID,
                "external_account_id": "+14155550000",
                "api_base_url": f"{cls.fake.url}/2010-04-01",
                "country_id": cls.env.ref("base.us").id,
            }
        )

    def form(self, name, **changes):
        text = load_sample(name).decode().strip().replace("FAKE", quote(self.fake.url, safe=""))
        params = parse_qsl(text, keep_blank_values=True)
        return [(k, changes.get(k, v)) for k, v in params]

    def post_form(self, params, url=None, token=TOKEN, signature=True):
        body = urlencode(params).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature:
            headers["X-Twilio-Signature"] = twilio_signature(token, url or self.sms.webhook_url, params)
        return self.url_open(self.webhook_url(self.sms), data=body, headers=headers)

    def events(self):
        return self.env["mychat.event"].search([("channel_id", "=", self.sms.id)])

    def messages(self):
        return self.env["mychat.message"].search([("channel_id", "=", self.sms.id)])

    # ------------------------------------------------------------------ inbound

    def test_signed_sms_accepted(self):
        response = self.post_form(self.form("sms_inbound.txt"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "text/xml")
        self.assertIn("<Response/>", response.text, "empty TwiML: no automatic reply")
        event = self.events()
        self.assertEqual(event.dedupe_key, "SM1f0e8ae6ade43cb3c0ce4525424e404f")
        self.process()
        self.assertEqual(event.state, "done")
        message = self.messages()
        self.assertEqual(
            (message.external_id, message.body), ("SM1f0e8ae6ade43cb3c0ce4525424e404f", "Hello from SMS 😀")
        )
        contact = message.conversation_id.contact_id
        self.assertEqual((contact.external_id, contact.phone), ("+14155551234", "+14155551234"), "E.164")
        self.assertFalse(message.conversation_id.window_expires_at, "SMS has no reply window")

    def test_refused(self):
        params = self.form("sms_inbound.txt")
        self.assertEqual(self.post_form(params, token="wrong").status_code, 403)
        self.assertEqual(self.post_form(params, signature=False).status_code, 403)
        self.assertEqual(self.post_form(params, url="https://elsewhere.example.com/hook").status_code, 403)
        tampered = [(k, "Give me money" if k == "Body" else v) for k, v in params]
        sig = twilio_signature(TOKEN, self.sms.webhook_url, params)
        response = self.url_open(
            self.webhook_url(self.sms),
            data=urlencode(tampered).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig},
        )
        self.assertEqual(response.status_code, 403)
        self.sms.secret = False
        self.assertEqual(self.post_form(params, token="").status_code, 403)
        self.assertFalse(self.events())

    def test_public_url_behind_proxy(self):
        self.sms.public_url = f"https://chat.example.com/mychat/webhook/{self.sms.webhook_token}"
        params = self.form("sms_inbound.txt")
        self.assertEqual(self.post_form(params).status_code, 403, "signed over the internal URL: refused")
        self.assertEqual(self.post_form(params, url=self.sms.public_url).status_code, 200)
        with_port = f"https://chat.example.com:443/mychat/webhook/{self.sms.webhook_token}"
        self.assertEqual(
            self.post_form(self.form("sms_mms.txt"), url=with_port).status_code, 200, "port variant"
        )

    def test_duplicates_absorbed(self):
        params = self.form("sms_inbound.txt")
        for _i in range(3):
            self.assertEqual(self.post_form(params).status_code, 200)
        self.assertEqual(len(self.events()), 1)
        self.process()
        self.assertEqual(len(self.messages()), 1)

    def test_mms_media_allowlist_and_redirect(self):
        media_path = rf"^/2010-04-01/Accounts/{SID}/Messages/MM90c6fc909d8504d45ecdb3a3d5b3556e/Media/ME1$"
        self.fake.route("GET", media_path, (302, b"", {"Location": "/cdn/ME1.jpg"}))
        self.fake.route("GET", r"^/cdn/ME1\.jpg$", (200, (b"JPEGDATA", "image/jpeg")))
        self.post_form(self.form("sms_mms.txt"))
        self.process()
        message = self.messages()
        self.assertEqual((message.body, message.message_type), ("The roof", "mms"))
        self.assertEqual(message.attachment_ids.raw, b"JPEGDATA")
        self.assertEqual(message.attachment_ids.mimetype, "image/jpeg")
        self.assertEqual(
            message.failure_reason.count("not a host of this provider"), 2, "other hosts refused"
        )
        first_hop, cdn = self.fake.calls("GET")
        expected = "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
        self.assertEqual(first_hop["headers"]["Authorization"], expected)
        self.assertEqual(cdn["path"], "/cdn/ME1.jpg")
        self.assertEqual(len(self.fake.requests), 2, "the refused URLs were never fetched")

    def test_redirect_to_other_host_refused(self):
        media_path = r"/Media/ME1$"
        self.fake.route(
            "GET", media_path, (302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
        )
        self.post_form(self.form("sms_mms.txt"))
        self.process()
        message = self.messages()
        self.assertFalse(message.attachment_ids)
        self.assertIn("169.254.169.254", message.failure_reason)
        self.assertEqual(len(self.fake.requests), 1)

    # ------------------------------------------------------------------ outbound, statuses

    def conversation(self):
        self.post_form(self.form("sms_inbound.txt"))
        self.process()
        return self.messages().conversation_id

    def test_send_exact_request_and_status_callbacks(self):
        conv = self.conversation()
        self.fake.route("POST", MESSAGES_PATH, (201, {"sid": "SMOUT1", "status": "queued"}))
        photo = self.env["ir.attachment"].create(
            {"name": "roof.jpg", "raw": b"JPEG", "mimetype": "image/jpeg"}
        )
        message = self.env["mychat.message"].browse(
            conv.send_reply("Your quote is ready", attachment_ids=[photo.id])
        )
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.external_id), ("sent", "SMOUT1"))
        (request,) = self.fake.calls("POST", "Messages.json")
        self.assertEqual(
            request["headers"]["Authorization"],
            "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode(),
        )
        self.assertEqual(request["headers"]["Content-Type"], "application/x-www-form-urlencoded")
        form = parse_qsl(request["body"].decode())
        self.assertEqual(
            [(k, v) for k, v in form if k != "MediaUrl"],
            [
                ("To", "+14155551234"),
                ("From", "+14155550000"),
                ("Body", "Your quote is ready"),
                ("StatusCallback", self.sms.webhook_url),
            ],
        )
        (media_url,) = [v for k, v in form if k == "MediaUrl"]
        self.assertIn(f"/web/content/{photo.id}?access_token=", media_url)
        # status callbacks: one event per (MessageSid, status); states only move forward
        for status in ("sent", "delivered", "sent"):
            self.assertEqual(
                self.post_form(
                    self.form("sms_status.txt", MessageStatus=status, SmsStatus=status)
                ).status_code,
                200,
            )
        self.assertEqual(sorted(self.events().mapped("dedupe_key"))[-2:], ["SMOUT1:delivered", "SMOUT1:sent"])
        self.process()
        self.assertEqual(message.state, "delivered")

    def test_failed_status_in_plain_words(self):
        conv = self.conversation()
        self.fake.route("POST", MESSAGES_PATH, (201, {"sid": "SMOUT1", "status": "queued"}))
        message = self.env["mychat.message"].browse(conv.send_reply("hello"))
        self.env["mychat.message"]._cron_send_queued()
        params = self.form("sms_status.txt", MessageStatus="undelivered", SmsStatus="undelivered") + [
            ("ErrorCode", "30003")
        ]
        self.post_form(params)
        self.process()
        self.assertEqual((message.state, message.failure_kind), ("failed", "permanent"))
        self.assertIn("unreachable", message.failure_reason)
        self.assertIn("30003", message.failure_reason)
        # a WhatsApp-via-Twilio send outside the 24-hour window fails later, as "window closed"
        self.fake.route("POST", MESSAGES_PATH, (201, {"sid": "SMOUT3", "status": "queued"}))
        late = self.env["mychat.message"].browse(conv.send_reply("later"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(late.external_id, "SMOUT3")
        self.post_form([("MessageSid", "SMOUT3"), ("MessageStatus", "failed"), ("ErrorCode", "63016")])
        self.process()
        self.assertEqual((late.state, late.failure_kind), ("failed", "window"))
        self.assertIn("24-hour", late.failure_reason)

    def test_error_mapping(self):
        conv = self.conversation()
        invalid = {
            "code": 21211,
            "message": "The 'To' number 5551234567 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        }
        self.fake.route("POST", MESSAGES_PATH, (400, invalid))
        message = self.env["mychat.message"].browse(conv.send_reply("x"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("failed", "permanent"))
        self.assertIn("not a valid phone number", message.failure_reason)
        self.fake.route(
            "POST", MESSAGES_PATH, (401, {"code": 20003, "message": "Authenticate", "status": 401})
        )
        message = self.env["mychat.message"].browse(conv.send_reply("x"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("failed", "auth"))
        self.fake.route(
            "POST",
            MESSAGES_PATH,
            (429, {"code": 20429, "message": "Too Many Requests", "status": 429}, {"Retry-After": "200"}),
            (503, b"unavailable"),
            (201, {"sid": "SMOUT9"}),
        )
        before = fields.Datetime.now()
        message = self.env["mychat.message"].browse(conv.send_reply("x"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.failure_kind), ("queued", "transient"))
        self.assertGreaterEqual(message.next_attempt_date, before + timedelta(seconds=199))
        message._mychat_attempt_send()
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "queued", "5xx: retried")
        message._mychat_attempt_send()
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((message.state, message.external_id), ("sent", "SMOUT9"))

    def test_no_window(self):
        conv = self.conversation()
        conv.last_inbound_date = fields.Datetime.now() - timedelta(days=30)
        self.fake.route("POST", MESSAGES_PATH, (201, {"sid": "SMOUT2"}))
        message = self.env["mychat.message"].browse(conv.send_reply("a month later"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "sent")
        with self.assertRaisesRegex(UserError, "buttons"):
            conv.send_reply("pick", buttons=["A"])
            self.env["mychat.message"]._cron_send_queued()

    def test_channel_form(self):
        with Form(self.env["mychat.channel"]) as form:
            form.name = "Shop SMS"
            form.channel_type = "sms"
            self.assertEqual(form.api_base_url, "https://api.twilio.com/2010-04-01")
            form.sms_account_sid = SID
            form.secret = TOKEN
            form.external_account_id = "+14155550001"
        self.assertEqual(form.record.sms_account_sid, SID)

    def test_send_sms_for_notifications(self):
        self.fake.route("POST", MESSAGES_PATH, (201, {"sid": "SMNOTIF"}))
        sid = self.env["mychat.channel"]._mychat_send_sms("(415) 555-7777", "New conversation waiting")
        self.assertEqual(sid, "SMNOTIF")
        (request,) = self.fake.calls("POST", "Messages.json")
        self.assertEqual(
            parse_qsl(request["body"].decode()),
            [("To", "+14155557777"), ("From", "+14155550000"), ("Body", "New conversation waiting")],
        )
        with self.assertRaises(UserError):
            self.sms._mychat_send_sms("12", "no number")
        self.assertEqual(self.env["mychat.message"].search_count([("external_id", "=", "SMNOTIF")]), 0)
