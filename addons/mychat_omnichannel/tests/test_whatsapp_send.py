import time
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from . import whatsapp_payloads as wa
from .common import MychatHttpCase

MESSAGES_PATH = r"^/v23\.0/106540352242922/messages$"
MEDIA_PATH = r"^/v23\.0/106540352242922/media$"
SERVER_ERROR = (500, {"error": {"message": "Something went wrong", "type": "OAuthException", "code": 131000}})


def accepted(wamid):
    return 200, {
        "messaging_product": "whatsapp",
        "contacts": [{"input": wa.DANA, "wa_id": wa.DANA}],
        "messages": [{"id": wamid}],
    }


@tagged("post_install", "-at_install")
class TestWhatsappSend(MychatHttpCase):
    """Outbound replies go to the (fake) Graph API with the exact request shape, respect the 24-hour
    window and retry transient failures."""

    def receive(self, wamid="wamid.IN1", body="hi", ago=60):
        """An inbound customer message ``ago`` seconds old, through the webhook; return it."""
        payload = wa.notification([wa.text(wamid, body, ts=time.time() - ago)])
        self.assertEqual(self.post_signed(payload).status_code, 200)
        self.process()
        return self.env["mychat.message"].search([("external_id", "=", wamid)])

    def send(self, conv, body="", **kwargs):
        return self.env["mychat.message"].browse(conv.send_reply(body, **kwargs))

    def run_send_cron(self):
        self.env.ref("mychat_omnichannel.ir_cron_send_queued").method_direct_trigger()
        self.env.invalidate_all()

    def test_text_request_shape(self):
        conv = self.receive().conversation_id
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.SENT1"))
        message = self.send(conv, "  שלום Dana, the quote is attached ")
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.external_id, "wamid.SENT1", "the Graph message id is stored")
        self.assertEqual(message.direction, "outbound")
        self.assertEqual(message.author_kind, "agent")
        (request,) = self.fake.requests
        self.assertEqual(request["method"], "POST")
        self.assertEqual(request["path"], "/v23.0/106540352242922/messages")
        self.assertEqual(request["headers"]["Authorization"], "Bearer graph-token")
        self.assertEqual(request["headers"]["Content-Type"], "application/json")
        self.assertEqual(
            request["json"],
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": wa.DANA,
                "type": "text",
                "text": {"preview_url": False, "body": "שלום Dana, the quote is attached"},
            },
        )
        self.assertFalse(conv.awaiting_reply)
        self.assertEqual(conv.last_outbound_date, message.date)

    def test_reply_context(self):
        inbound = self.receive()
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.SENT2"))
        message = self.send(inbound.conversation_id, "Sure", reply_to_id=inbound.id)
        self.assertEqual(message.reply_to_id, inbound)
        self.assertEqual(self.fake.requests[0]["json"]["context"], {"message_id": "wamid.IN1"})

    def test_media_upload_then_send(self):
        conv = self.receive().conversation_id
        image = self.env["ir.attachment"].create(
            {"name": "roof.png", "raw": b"\x89PNG roof", "mimetype": "image/png"}
        )
        pdf = self.env["ir.attachment"].create(
            {"name": "plan.pdf", "raw": b"%PDF plan", "mimetype": "application/pdf"}
        )
        self.fake.route("POST", MEDIA_PATH, (200, {"id": "up-1"}), (200, {"id": "up-2"}))
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.IMG1"), accepted("wamid.DOC1"))
        message = self.send(conv, "Here is the plan", attachment_ids=[image.id, pdf.id])
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.external_id, "wamid.IMG1")
        self.assertEqual(message.attachment_ids, image)
        second = conv.message_ids.filtered(lambda m: m.direction == "outbound") - message
        self.assertEqual(
            second.attachment_ids, pdf, "one message per file: each keeps its own wamid and statuses"
        )
        self.assertEqual((second.external_id, second.state, second.body), ("wamid.DOC1", "sent", False))
        uploads = self.fake.calls("POST", MEDIA_PATH)
        self.assertEqual(len(uploads), 2)
        for upload, content, filename in (
            (uploads[0], b"\x89PNG roof", b"roof.png"),
            (uploads[1], b"%PDF plan", b"plan.pdf"),
        ):
            self.assertEqual(upload["headers"]["Authorization"], "Bearer graph-token")
            self.assertTrue(upload["headers"]["Content-Type"].startswith("multipart/form-data"))
            self.assertIn(b'name="messaging_product"\r\n\r\nwhatsapp', upload["body"])
            self.assertIn(b'filename="' + filename + b'"', upload["body"])
            self.assertIn(content, upload["body"])
        sends = [r["json"] for r in self.fake.calls("POST", MESSAGES_PATH)]
        base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa.DANA}
        self.assertEqual(
            sends,
            [
                {**base, "type": "image", "image": {"id": "up-1", "caption": "Here is the plan"}},
                {**base, "type": "document", "document": {"id": "up-2", "filename": "plan.pdf"}},
            ],
        )

    def test_second_file_retried_alone(self):
        """A transient failure of the second file retries that file only: the first is not sent twice."""
        conv = self.receive().conversation_id
        files = self.env["ir.attachment"].create(
            [
                {"name": "a.png", "raw": b"\x89PNG a", "mimetype": "image/png"},
                {"name": "b.png", "raw": b"\x89PNG b", "mimetype": "image/png"},
            ]
        )
        self.fake.route("POST", MEDIA_PATH, (200, {"id": "up-a"}), (200, {"id": "up-b"}))
        self.fake.route(
            "POST",
            MESSAGES_PATH,
            accepted("wamid.A"),
            (500, {"error": {"code": 131000, "message": "x"}}),
            accepted("wamid.B"),
        )
        first = self.send(conv, "Two photos", attachment_ids=files.ids)
        second = conv.message_ids.filtered(lambda m: m.direction == "outbound") - first
        self.assertEqual((first.state, second.state), ("sent", "queued"))
        second.next_attempt_date = fields.Datetime.now()
        self.run_send_cron()
        self.assertEqual((second.state, second.external_id), ("sent", "wamid.B"))
        sent_media = [r["json"]["image"]["id"] for r in self.fake.calls("POST", MESSAGES_PATH)]
        self.assertEqual(sent_media, ["up-a", "up-b", "up-b"], "the first photo went out once")

    def test_window_closed_refused(self):
        conv = self.receive(ago=25 * 3600).conversation_id
        with self.assertRaisesRegex(UserError, "24-hour reply window of this conversation is closed"):
            conv.send_reply("Still there?")
        self.assertFalse(self.fake.requests, "nothing sent to the provider")
        self.assertFalse(conv.message_ids.filtered(lambda m: m.direction == "outbound"))

    def test_agent_message_does_not_reopen_window(self):
        inbound = self.receive(ago=23 * 3600)
        conv = inbound.conversation_id
        self.assertEqual(conv.window_expires_at, inbound.date + timedelta(hours=24))
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.SENT3"))
        self.send(conv, "Answering within the window")
        self.assertEqual(
            conv.window_expires_at, inbound.date + timedelta(hours=24), "outbound never extends it"
        )
        with freeze_time(fields.Datetime.now() + timedelta(hours=2)), self.assertRaises(UserError):
            conv.send_reply("A second answer, 25 hours after the customer wrote")
        self.assertEqual(len(self.fake.requests), 1)
        # the customer writes again: the window opens for 24 hours from that message
        self.receive("wamid.IN2", "thanks", ago=0)
        self.send(conv, "You're welcome")
        self.assertEqual(len(self.fake.requests), 2)

    def test_provider_500_retried_then_failed(self):
        conv = self.receive().conversation_id
        self.fake.route("POST", MESSAGES_PATH, SERVER_ERROR)
        start = fields.Datetime.now()
        message = self.send(conv, "Are you there?")
        self.assertEqual(message.state, "queued", "a transient failure keeps the message queued")
        self.assertEqual(message.send_attempts, 1)
        self.assertEqual(message.failure_kind, "transient")
        self.assertIn("Something went wrong", message.failure_reason)
        self.assertAlmostEqual(
            message.next_attempt_date, start + timedelta(seconds=30), delta=timedelta(seconds=5)
        )
        triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("mychat_omnichannel.ir_cron_send_queued").id)]
        )
        self.assertIn(message.next_attempt_date, triggers.mapped("call_at"), "the retry cron is scheduled")

        with freeze_time(message.next_attempt_date - timedelta(seconds=5)):
            self.run_send_cron()
        self.assertEqual(len(self.fake.requests), 1, "not retried before its time")

        for attempt in (2, 3, 4):
            with freeze_time(message.next_attempt_date + timedelta(seconds=1)):
                self.run_send_cron()
            self.assertEqual(len(self.fake.requests), attempt)
            self.assertEqual(message.send_attempts, attempt)
        self.assertEqual(message.state, "failed", "failed after the last attempt")
        self.assertIn("Something went wrong", message.failure_reason)
        self.assertFalse(message.next_attempt_date)
        for request in self.fake.requests:
            self.assertEqual(request["json"]["text"]["body"], "Are you there?", "the same message each time")

    def test_provider_500_then_success(self):
        conv = self.receive().conversation_id
        self.fake.route("POST", MESSAGES_PATH, SERVER_ERROR, accepted("wamid.LATE"))
        message = self.send(conv, "Hello again")
        self.assertEqual(message.state, "queued")
        with freeze_time(message.next_attempt_date + timedelta(seconds=1)):
            self.run_send_cron()
        self.assertEqual(message.state, "sent")
        self.assertEqual(message.external_id, "wamid.LATE")
        self.assertFalse(message.failure_reason or message.failure_kind or message.next_attempt_date)

    def test_permanent_errors_fail_at_once(self):
        conv = self.receive().conversation_id
        cases = [
            (400, 100, "Invalid parameter", "permanent"),
            (400, 131047, "Re-engagement message", "window"),
            (401, 190, "Error validating access token", "auth"),
        ]
        for status, code, text, kind in cases:
            with self.subTest(code=code):
                self.fake.requests.clear()
                self.fake.route("POST", MESSAGES_PATH, (status, {"error": {"message": text, "code": code}}))
                message = self.send(conv, f"try {code}")
                self.assertEqual(message.state, "failed")
                self.assertEqual(message.failure_kind, kind)
                self.assertEqual(message.failure_reason, f"({code}) {text}")
                self.assertFalse(message.next_attempt_date)
                self.assertEqual(len(self.fake.requests), 1, "never retried")

    def test_window_error_from_provider_with_details(self):
        """Meta may refuse with 131047 even when the local window looks open."""
        conv = self.receive().conversation_id
        details = (
            "Message failed to send because more than 24 hours have passed since the customer last replied"
        )
        error = {
            "message": "(#131047) Re-engagement message",
            "code": 131047,
            "error_data": {"details": details},
        }
        self.fake.route("POST", MESSAGES_PATH, (400, {"error": error}))
        message = self.send(conv, "Hello?")
        self.assertEqual((message.state, message.failure_kind), ("failed", "window"))
        self.assertEqual(message.failure_reason, f"(131047) {details}")

    def test_inactive_channel_refused(self):
        conv = self.receive().conversation_id
        self.channel.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            conv.send_reply("Hello")
        self.assertFalse(self.fake.requests)

    def test_agent_user_send_and_retry(self):
        """A MyChat user (no admin rights) sends; a transient failure schedules the retry, no access error."""
        agent = new_test_user(self.env, "wa_agent", groups="mychat_omnichannel.group_mychat_user")
        conv = self.receive().conversation_id
        self.fake.route("POST", MESSAGES_PATH, SERVER_ERROR, accepted("wamid.AGENT"))
        message_id = conv.with_user(agent).send_reply("From the agent")
        message = self.env["mychat.message"].browse(message_id)
        self.assertEqual((message.state, message.author_user_id), ("queued", agent))
        self.assertEqual(conv.user_id, agent, "the answering agent takes the conversation")
        with freeze_time(message.next_attempt_date + timedelta(seconds=1)):
            self.run_send_cron()
        self.assertEqual((message.state, message.external_id), ("sent", "wamid.AGENT"))
