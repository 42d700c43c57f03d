import hashlib
import json

from odoo.tests import tagged

from ..tools import custom
from .common import MychatHttpCase

SECRET = "custom-gateway-secret"
OUT_PATH = r"^/gateway/out$"


def inbound(delivery="dlv-1", message_id="m-1", text="Hello from the gateway", **extra):
    message = {
        "id": message_id,
        "timestamp": 1764650000,
        "text": text,
        "from": {"id": "u-42", "name": "Dana Levi", "phone": "+972501234567", "email": "dana@example.com"},
        **extra,
    }
    return {"id": delivery, "messages": [message]}


@tagged("post_install", "-at_install")
class TestCustomWebhook(MychatHttpCase):
    """The custom webhook channel end to end: signed inbound over the real route, outbound to a fake
    gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.custom = cls.env["mychat.channel"].create(
            {
                "name": "Gateway",
                "channel_type": "custom",
                "secret": SECRET,
                "access_token": "gateway-token",
                "api_base_url": f"{cls.fake.url}/gateway/out",
            }
        )

    def post(self, payload, secret=SECRET, signature=True, channel=None):
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature:
            headers[custom.SIGNATURE_HEADER] = custom.sign(secret, raw)
        return self.url_open(self.webhook_url(channel or self.custom), data=raw, headers=headers)

    def events(self):
        return self.env["mychat.event"].search([("channel_id", "=", self.custom.id)])

    def messages(self, direction="inbound"):
        return self.env["mychat.message"].search(
            [("channel_id", "=", self.custom.id), ("direction", "=", direction)]
        )

    def receive(self, payload):
        self.assertEqual(self.post(payload).status_code, 200)
        self.process()

    def reply(self, text, **kwargs):
        self.receive(inbound())
        conversation = self.messages().conversation_id
        message = self.env["mychat.message"].browse(conversation.send_reply(text, **kwargs))
        self.env["mychat.message"]._cron_send_queued()
        return message

    # ------------------------------------------------------------------ inbound

    def test_signed_message_arrives(self):
        response = self.post(inbound())
        self.assertEqual((response.status_code, response.text), (200, "OK"))
        event = self.events()
        self.assertEqual((event.dedupe_key, event.state), ("dlv-1", "pending"), "stored before processing")
        self.process()
        self.assertEqual(event.state, "done")
        message = self.messages()
        self.assertEqual((message.external_id, message.body), ("m-1", "Hello from the gateway"))
        contact = message.conversation_id.contact_id
        self.assertEqual(
            (contact.external_id, contact.name, contact.phone, contact.email),
            ("u-42", "Dana Levi", "+972501234567", "dana@example.com"),
        )
        self.assertFalse(message.conversation_id.window_expires_at, "a custom channel has no reply window")

    def test_duplicates_absorbed(self):
        self.post(inbound())
        self.post(inbound())  # the gateway repeats the delivery
        self.post(inbound(delivery="dlv-2"))  # a new delivery of the same message
        self.process()
        self.assertEqual(len(self.events()), 2, "one event per delivery id")
        self.assertEqual(len(self.messages()), 1, "one message per gateway message id")

    def test_without_delivery_id_the_body_hash_is_the_key(self):
        payload = inbound()
        del payload["id"]
        raw = json.dumps(payload).encode()
        self.post(raw)
        self.post(raw)
        self.assertEqual(self.events().dedupe_key, hashlib.sha256(raw).hexdigest())

    def test_bad_signature_refused(self):
        self.assertEqual(self.post(inbound(), secret="wrong").status_code, 403)
        self.assertEqual(self.post(inbound(), signature=False).status_code, 403)
        raw = json.dumps(inbound()).encode()
        tampered = raw.replace(b"Hello", b"Pay me")
        response = self.url_open(
            self.webhook_url(self.custom),
            data=tampered,
            headers={"Content-Type": "application/json", custom.SIGNATURE_HEADER: custom.sign(SECRET, raw)},
        )
        self.assertEqual(response.status_code, 403)
        unset = self.custom.copy({"name": "No secret"})
        self.assertEqual(self.post(inbound(), channel=unset).status_code, 403, "no secret: nothing verifies")
        self.assertFalse(self.events(), "nothing refused is stored")

    def test_unreadable_payloads_fail_clearly(self):
        self.assertEqual(self.post(b"not json").status_code, 200)
        self.assertEqual(self.post({"id": "dlv-x", "messages": [{"text": "no id"}]}).status_code, 200)
        self.assertEqual(self.post({"id": "dlv-y"}).status_code, 200)
        self.process()
        events = self.events().sorted("id")
        self.assertEqual(events.mapped("state"), ["failed"] * 3)
        self.assertIn("Unparseable payload", events[0].failure_reason)
        self.assertIn("a message needs an id and a from.id", events[1].failure_reason)
        self.assertIn("no messages and no statuses", events[2].failure_reason)
        self.assertFalse(self.messages())

    def test_media_fetched_from_the_gateway_host_only(self):
        self.fake.route("GET", r"^/files/1\.jpg$", (200, (b"JPEGDATA", "image/jpeg")))
        attachments = [
            {"url": f"{self.fake.url}/files/1.jpg", "mime_type": "image/jpeg", "name": "1.jpg"},
            {"url": "https://evil.example/x.png", "mime_type": "image/png", "name": "x.png"},
        ]
        self.receive(inbound(text="", attachments=attachments))
        message = self.messages()
        self.assertEqual(message.message_type, "image")
        self.assertEqual(message.attachment_ids.mapped("name"), ["1.jpg"])
        self.assertEqual(message.attachment_ids.raw, b"JPEGDATA")
        self.assertIn("refused", message.failure_reason)
        self.assertEqual(len(self.fake.calls("GET")), 1, "nothing was requested from the foreign host")

    # ------------------------------------------------------------------ outbound

    def test_reply_posted_signed_to_the_outbound_url(self):
        self.fake.route("POST", OUT_PATH, (200, {"id": "gw-77"}))
        message = self.reply("Hi Dana")
        self.assertEqual((message.state, message.external_id), ("sent", "gw-77"))
        (call,) = self.fake.calls("POST", OUT_PATH)
        self.assertEqual(call["headers"][custom.SIGNATURE_HEADER], custom.sign(SECRET, call["body"]))
        self.assertEqual(call["headers"]["Authorization"], "Bearer gateway-token")
        self.assertEqual(
            call["json"], {"type": "message", "id": f"odoo-{message.id}", "to": "u-42", "text": "Hi Dana"}
        )

        # the gateway reports the delivery
        self.receive({"id": "dlv-s1", "statuses": [{"id": "gw-77", "status": "delivered"}]})
        self.assertEqual(message.state, "delivered")

    def test_reply_with_attachment_and_quote(self):
        self.fake.route("POST", OUT_PATH, (200, {}))
        image = self.env["ir.attachment"].create(
            {"name": "a.png", "raw": b"\x89PNG", "mimetype": "image/png"}
        )
        self.receive(inbound())
        conversation = self.messages().conversation_id
        message = self.env["mychat.message"].browse(
            conversation.send_reply("See this", attachment_ids=image.ids, reply_to_id=self.messages().id)
        )
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.external_id, f"odoo-{message.id}", "no gateway id: ours is kept")
        body = self.fake.calls("POST", OUT_PATH)[0]["json"]
        self.assertEqual(body["reply_to"], "m-1")
        (attachment,) = body["attachments"]
        self.assertEqual((attachment["name"], attachment["mime_type"]), ("a.png", "image/png"))
        self.assertIn("/mychat/media/", attachment["url"], "an expiring link, no permanent token")

    def test_refused_sends_are_classified(self):
        self.fake.route("POST", OUT_PATH, (503, {"error": "maintenance"}))
        message = self.reply("Busy?")
        self.assertEqual((message.state, message.failure_kind), ("queued", "transient"), "retried later")
        self.assertTrue(message.next_attempt_date)

        self.fake.route("POST", OUT_PATH, (400, {"error": "unknown recipient"}))
        message = self.messages("outbound").conversation_id.send_reply("Anyone?")
        message = self.env["mychat.message"].browse(message)
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.state, "failed")
        self.assertEqual(message.failure_kind, "permanent")
        self.assertIn("unknown recipient", message.failure_reason)

    def test_composer_offers_media(self):
        self.assertEqual(self.custom._mychat_composer_features(), ("media",))
