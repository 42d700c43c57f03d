import base64
import hashlib
import json
import threading
import time
from datetime import datetime, timedelta
from unittest.mock import patch

import requests
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..tools.signatures import meta_signature
from . import whatsapp_payloads as wa
from .common import MychatHttpCase, load_sample


@tagged("post_install", "-at_install")
class TestWhatsappWebhook(MychatHttpCase):
    def events(self):
        return self.env["mychat.event"].search([("channel_id", "=", self.channel.id)])

    def test_handshake(self):
        url = self.webhook_url() + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "1158201444")
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        bad = self.url_open(self.webhook_url() + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
        self.assertEqual(bad.status_code, 403)

    def test_signed_text_message(self):
        body = load_sample("whatsapp_text.json")
        response = self.post_signed(body)
        self.assertEqual(response.status_code, 200)
        event = self.events()
        self.assertEqual(event.state, "pending", "acknowledged before processing")
        self.assertEqual(event.payload.encode(), body, "the raw body is kept as received")
        self.process()
        self.assertEqual(event.state, "done")
        message = self.env["mychat.message"].search([("external_id", "=", "wamid.TEST1")])
        self.assertEqual(message.body, "Olá 😀")
        self.assertEqual(message.direction, "inbound")
        self.assertEqual(message.author_kind, "customer")
        self.assertEqual(message.date, datetime(2025, 6, 8, 20, 59, 43), "the provider's timestamp, in UTC")
        conv = message.conversation_id
        self.assertEqual(conv.contact_id.external_id, "16505551234")
        self.assertEqual(conv.contact_id.phone, "+16505551234")
        self.assertEqual(conv.contact_id.name, "José")
        self.assertTrue(conv.awaiting_reply)
        self.assertEqual(conv.window_expires_at, datetime(2025, 6, 9, 20, 59, 43))

    def test_wrong_or_missing_signature_refused(self):
        body = load_sample("whatsapp_text.json")
        self.assertEqual(self.post_signed(body, secret="wrong").status_code, 403)
        response = self.url_open(self.webhook_url(), data=body, headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.events(), "nothing stored for an unauthentic call")

    def test_no_secret_refused(self):
        self.channel.secret = False
        body = load_sample("whatsapp_text.json")
        self.assertEqual(self.post_signed(body, secret="").status_code, 403)
        self.assertEqual(self.post_signed(body).status_code, 403)
        self.assertFalse(self.events())

    def test_unknown_token(self):
        response = self.url_open(
            "/mychat/webhook/does-not-exist", data=b"{}", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 404)

    def test_oversized_body(self):
        self.env["ir.config_parameter"].set_param("mychat.webhook_max_bytes", "1000")
        body = json.dumps({"object": "whatsapp_business_account", "pad": "x" * 2000}).encode()
        self.assertEqual(self.post_signed(body).status_code, 413)
        self.assertFalse(self.events())

    def test_same_delivery_five_times(self):
        body = load_sample("whatsapp_text.json")
        for _i in range(5):
            self.assertEqual(self.post_signed(body).status_code, 200)
        self.assertEqual(len(self.events()), 1)
        self.process()
        self.assertEqual(self.env["mychat.message"].search_count([("external_id", "=", "wamid.TEST1")]), 1)

    def test_same_delivery_concurrently(self):
        body = load_sample("whatsapp_text.json")
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature("test_app_secret", body),
        }
        url = self.base_url() + self.webhook_url()
        statuses = []
        with self.allow_requests():
            cookies = dict(self.opener.cookies)

            def post():
                statuses.append(
                    requests.post(url, data=body, headers=headers, cookies=cookies, timeout=30).status_code
                )

            threads = [threading.Thread(target=post) for _i in range(5)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(statuses, [200] * 5)
        self.assertEqual(len(self.events()), 1)
        self.process()
        self.assertEqual(self.env["mychat.message"].search_count([("external_id", "=", "wamid.TEST1")]), 1)

    def test_same_message_in_another_delivery(self):
        """A redelivery with a different body (another batch) still makes one message."""
        self.post_signed(load_sample("whatsapp_text.json"))
        payload = json.loads(load_sample("whatsapp_text.json"))
        payload["entry"][0]["id"] = "another-envelope"
        self.post_signed(payload)
        self.assertEqual(len(self.events()), 2)
        self.process()
        self.assertEqual(self.env["mychat.message"].search_count([("external_id", "=", "wamid.TEST1")]), 1)

    def test_batched_payload(self):
        self.post_signed(load_sample("whatsapp_batch.json"))
        self.process()
        messages = self.env["mychat.message"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(sorted(messages.mapped("external_id")), ["wamid.B1", "wamid.B2", "wamid.B3"])
        self.assertEqual(len(messages.conversation_id), 2, "one conversation per sender")
        dana = messages.filtered(lambda m: m.external_id in ("wamid.B1", "wamid.B2")).conversation_id
        self.assertEqual(dana.mychat_message_ids.mapped("body"), ["first", "second"])

    def test_unparseable_body_kept_as_failed(self):
        body = b"{not json"
        self.assertEqual(self.post_signed(body).status_code, 200)
        event = self.events()
        self.assertEqual(event.state, "failed")
        self.assertIn("Unparseable", event.failure_reason)
        self.assertEqual(event.payload, "{not json")

    def test_unsupported_object_failed_then_replayed(self):
        self.post_signed({"object": "page", "entry": []})
        self.process()
        event = self.events()
        self.assertEqual(event.state, "failed")
        self.assertIn("Unsupported", event.failure_reason)
        event.action_replay()
        self.assertEqual(event.state, "failed", "still not processable")


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
        """send_reply, then what happens once its transaction commits (the send queue drains)."""
        before = len(self.fake.requests)
        message = self.env["mychat.message"].browse(conv.send_reply(body, **kwargs))
        self.assertEqual(message.state, "queued", "nothing is sent before the transaction commits")
        self.assertEqual(len(self.fake.requests), before, "the provider is not called inside the transaction")
        self.env["mychat.message"]._cron_send_queued()
        return message

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
        second = conv.mychat_message_ids.filtered(lambda m: m.direction == "outbound") - message
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
        second = conv.mychat_message_ids.filtered(lambda m: m.direction == "outbound") - first
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
            self.env["mychat.message"]._cron_send_queued()
        self.assertFalse(self.fake.requests, "nothing sent to the provider")
        self.assertFalse(conv.mychat_message_ids.filtered(lambda m: m.direction == "outbound"))

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
            self.env["mychat.message"]._cron_send_queued()
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
            self.env["mychat.message"]._cron_send_queued()
        self.assertFalse(self.fake.requests)

    def test_agent_user_send_and_retry(self):
        """A MyChat user (no admin rights) sends; a transient failure schedules the retry, no access error."""
        agent = new_test_user(self.env, "wa_agent", groups="mychat_omnichannel.group_mychat_user")
        conv = self.receive().conversation_id
        self.fake.route("POST", MESSAGES_PATH, SERVER_ERROR, accepted("wamid.AGENT"))
        message_id = conv.with_user(agent).send_reply("From the agent")
        self.env["mychat.message"]._cron_send_queued()
        message = self.env["mychat.message"].browse(message_id)
        self.assertEqual((message.state, message.author_user_id), ("queued", agent))
        self.assertEqual(conv.user_id, agent, "the answering agent takes the conversation")
        with freeze_time(message.next_attempt_date + timedelta(seconds=1)):
            self.run_send_cron()
        self.assertEqual((message.state, message.external_id), ("sent", "wamid.AGENT"))


@tagged("post_install", "-at_install")
class TestWhatsappStatus(MychatHttpCase):
    """Delivery statuses from the webhook move outbound messages forward only."""

    def setUp(self):
        super().setUp()
        self.receive(wa.notification([wa.text("wamid.IN1", "hi")]))
        conv = self.env["mychat.message"].search([("external_id", "=", "wamid.IN1")]).conversation_id
        self.fake.route("POST", r"/messages$", (200, {"messages": [{"id": "wamid.OUT1"}]}))
        self.out = self.env["mychat.message"].browse(conv.send_reply("Your quote is ready"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual((self.out.state, self.out.external_id), ("sent", "wamid.OUT1"))

    def receive(self, body):
        self.assertEqual(self.post_signed(body).status_code, 200)
        events = self.process()
        self.assertEqual(events.mapped("state"), ["done"] * len(events), events.mapped("failure_reason"))

    def status(self, state, ts=None, errors=None, wamid="wamid.OUT1"):
        self.receive(wa.notification(statuses=[wa.status(wamid, state, ts or time.time(), errors=errors)]))

    def test_statuses_in_order(self):
        self.status("sent")
        self.assertEqual(self.out.state, "sent")
        self.receive(load_sample("whatsapp_status_delivered.json"))
        self.assertEqual(self.out.state, "delivered")
        self.receive(load_sample("whatsapp_status_read.json"))
        self.assertEqual(self.out.state, "read")
        self.assertFalse(self.out.failure_reason)

    def test_out_of_order_never_backwards(self):
        self.receive(load_sample("whatsapp_status_read.json"))
        self.assertEqual(self.out.state, "read")
        self.receive(load_sample("whatsapp_status_delivered.json"))
        self.status("sent")
        self.assertEqual(self.out.state, "read", "late delivered/sent never move a read message back")
        self.receive(load_sample("whatsapp_status_failed.json"))
        self.assertEqual(self.out.state, "read", "a late failure does not undo a read receipt")
        self.assertFalse(self.out.failure_reason)

    def test_statuses_in_one_batch_out_of_order(self):
        now = time.time()
        body = wa.notification(
            statuses=[
                wa.status("wamid.OUT1", "delivered", now + 2),
                wa.status("wamid.OUT1", "read", now + 3),
                wa.status("wamid.OUT1", "sent", now + 1),
            ]
        )
        self.receive(body)
        self.assertEqual(self.out.state, "read")

    def test_failed_carries_provider_error(self):
        self.receive(load_sample("whatsapp_status_failed.json"))
        self.assertEqual(self.out.state, "failed")
        self.assertIn("131047", self.out.failure_reason)
        self.assertIn("more than 24 hours have passed", self.out.failure_reason)
        self.assertEqual(self.out.failure_kind, "window", "131047: the reply window closed, offer a template")

    def test_failed_without_details_then_delivered_after_all(self):
        self.status("failed", errors=[{"code": 131026, "title": "Message undeliverable"}])
        self.assertEqual(self.out.state, "failed")
        self.assertEqual(self.out.failure_reason, "131026: Message undeliverable")
        self.status("delivered")
        self.assertEqual(self.out.state, "delivered", "the provider delivered it after all")

    def test_status_of_unknown_message_is_absorbed(self):
        self.status("delivered", wamid="wamid.NOT_OURS")
        self.assertEqual(self.out.state, "sent")

    def test_inbound_message_not_touched_by_status(self):
        inbound = self.env["mychat.message"].search([("external_id", "=", "wamid.IN1")])
        self.status("read", wamid="wamid.IN1")
        self.assertEqual(inbound.state, "received")


MEDIA = {
    # media id: (mime type announced by Graph, file path on the fake media host, bytes)
    "media-img": ("image/jpeg", "/media/img", b"\xff\xd8\xff\xe0 jpeg bytes"),
    "media-doc": ("application/pdf", "/media/doc", b"%PDF-1.4 plan"),
    "media-aud": ("audio/ogg; codecs=opus", "/media/aud", b"OggS voice note"),
    "media-vid": ("video/mp4", "/media/vid", b"\x00\x00\x00\x18ftypmp42"),
    "media-stk": ("image/webp", "/media/stk", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
}


@tagged("post_install", "-at_install")
class TestWhatsappTypes(MychatHttpCase):
    """Every WhatsApp inbound message type, through the real webhook route and the event processing."""

    def messages(self):
        return self.env["mychat.message"].search([("channel_id", "=", self.channel.id)])

    def message(self, wamid):
        return self.env["mychat.message"].search(
            [("channel_id", "=", self.channel.id), ("external_id", "=", wamid)]
        )

    def receive(self, body):
        self.assertEqual(self.post_signed(body).status_code, 200)
        events = self.process()
        self.assertEqual(events.mapped("state"), ["done"] * len(events), events.mapped("failure_reason"))
        return events

    def serve_media(self, media_id, url=None):
        mime, path, content = MEDIA[media_id]
        self.fake.route(
            "GET",
            rf"^/v23\.0/{media_id}$",
            (200, {"url": url or self.fake.url + path, "mime_type": mime, "id": media_id}),
        )
        self.fake.route("GET", rf"^{path}$", (200, (content, mime)))

    def agent_message(self, wamid):
        """An outbound agent reply that the customer's replies and reactions can quote."""
        self.receive(wa.notification([wa.text("wamid.HELLO", "hello")]))
        self.fake.route(
            "POST", r"/messages$", (200, {"messaging_product": "whatsapp", "messages": [{"id": wamid}]})
        )
        conv = self.message("wamid.HELLO").conversation_id
        message = self.env["mychat.message"].browse(conv.send_reply("How can I help?"))
        self.env["mychat.message"]._cron_send_queued()
        return message

    def test_media_types_downloaded_as_attachments(self):
        for media_id in MEDIA:
            self.serve_media(media_id)
        self.receive(load_sample("whatsapp_media.json"))
        expected = {
            "wamid.IMG": ("image", "the roof", "media-img", "image/jpeg"),
            "wamid.DOC": ("document", "plan", "media-doc", "application/pdf"),
            "wamid.AUD": ("audio", "", "media-aud", "audio/ogg"),
            "wamid.VID": ("video", "", "media-vid", "video/mp4"),
            "wamid.STK": ("sticker", "", "media-stk", "image/webp"),
        }
        for wamid, (kind, body, media_id, mimetype) in expected.items():
            message = self.message(wamid)
            self.assertEqual(message.message_type, kind)
            self.assertEqual(message.body or "", body)
            self.assertFalse(message.failure_reason, f"{kind} downloaded without error")
            self.assertEqual(len(message.attachment_ids), 1, kind)
            attachment = message.attachment_ids
            self.assertEqual(attachment.raw, MEDIA[media_id][2], f"{kind}: the bytes of the media host")
            self.assertEqual(attachment.mimetype, mimetype)
            self.assertEqual(attachment.res_model, "mychat.conversation")
            self.assertEqual(attachment.res_id, message.conversation_id.id)
        self.assertEqual(self.message("wamid.DOC").attachment_ids.name, "plan.pdf", "the sender's file name")
        self.assertEqual(len(self.messages().conversation_id), 1)
        # Graph media endpoint, then the short-lived URL; both with the channel's token
        for media_id, (_mime, path, _content) in MEDIA.items():
            lookup = self.fake.calls("GET", rf"^/v23\.0/{media_id}$")
            download = self.fake.calls("GET", rf"^{path}$")
            self.assertEqual(len(lookup), 1)
            self.assertEqual(len(download), 1)
            self.assertEqual(lookup[0]["headers"]["Authorization"], "Bearer graph-token")
            self.assertEqual(download[0]["headers"]["Authorization"], "Bearer graph-token")

    def test_media_checksum_verified(self):
        content = MEDIA["media-img"][2]
        self.serve_media("media-img")
        good = base64.b64encode(hashlib.sha256(content).digest()).decode()
        self.receive(
            wa.notification(
                [
                    wa.media("wamid.OK", "image", media_id="media-img", sha256=good),
                    wa.media("wamid.BAD", "image", media_id="media-img", sha256="bm90IHRoZSBkaWdlc3Q="),
                ]
            )
        )
        self.assertEqual(self.message("wamid.OK").attachment_ids.raw, content)
        bad = self.message("wamid.BAD")
        self.assertFalse(bad.attachment_ids)
        self.assertIn("checksum", bad.failure_reason)

    def test_media_host_allowlist(self):
        """A media URL outside the provider's hosts is refused and noted on the message, never fetched."""
        self.fake.route(
            "GET", r"^/v23\.0/media-private$", (200, {"url": "http://10.0.0.1/x", "mime_type": "image/jpeg"})
        )
        self.fake.route(
            "GET",
            r"^/v23\.0/media-metadata$",
            (200, {"url": "http://169.254.169.254/latest", "mime_type": "image/jpeg"}),
        )
        body = wa.notification(
            [
                wa.media("wamid.PRIV", "image", media_id="media-private"),
                wa.media("wamid.META", "image", media_id="media-metadata"),
                wa.media("wamid.EVIL", "image", url="https://evil.example/x"),
                wa.media(
                    "wamid.FTP", "document", url=f"ftp://{self.fake.url.split('//')[1]}/x", filename="x.pdf"
                ),
            ]
        )
        real_request = requests.request
        with patch(
            "odoo.addons.mychat_omnichannel.models.mychat_channel.requests.request", wraps=real_request
        ) as spy:
            self.receive(body)
        fetched = [call.args[1] for call in spy.call_args_list]
        self.assertEqual(
            fetched,
            [f"{self.fake.url}/v23.0/media-private", f"{self.fake.url}/v23.0/media-metadata"],
            "only the Graph media endpoint was called, never the refused URLs",
        )
        for wamid, url in [
            ("wamid.PRIV", "http://10.0.0.1/x"),
            ("wamid.META", "http://169.254.169.254/latest"),
            ("wamid.EVIL", "https://evil.example/x"),
        ]:
            message = self.message(wamid)
            self.assertTrue(message, "the message itself is kept")
            self.assertFalse(message.attachment_ids)
            self.assertIn("Media URL refused", message.failure_reason)
            self.assertIn(url, message.failure_reason)
        self.assertIn("Media URL refused", self.message("wamid.FTP").failure_reason)

    def test_media_too_large_or_missing(self):
        self.serve_media("media-img")
        self.fake.route(
            "GET",
            r"^/v23\.0/media-gone$",
            (404, {"error": {"code": 100, "message": "Unsupported get request"}}),
        )
        with patch("odoo.addons.mychat_omnichannel.models.mychat_channel.MEDIA_MAX_BYTES", 8):
            self.receive(
                wa.notification(
                    [
                        wa.media("wamid.BIG", "image", media_id="media-img"),
                        wa.media("wamid.GONE", "image", media_id="media-gone"),
                    ]
                )
            )
        big, gone = self.message("wamid.BIG"), self.message("wamid.GONE")
        self.assertFalse(big.attachment_ids | gone.attachment_ids)
        self.assertIn("larger than", big.failure_reason)
        self.assertIn("Unsupported get request", gone.failure_reason)
        self.assertEqual(big.conversation_id.last_message_preview, "image", "the message still shows up")

    def test_location_contacts_reply_reaction_unsupported(self):
        out = self.agent_message("wamid.OUT1")
        self.receive(load_sample("whatsapp_other_types.json"))
        location = self.message("wamid.LOC")
        self.assertEqual(location.message_type, "location")
        self.assertEqual(
            location.body, "📍 Office — Rothschild 1, Tel Aviv\nhttps://maps.google.com/?q=32.0853,34.7818"
        )
        contacts = self.message("wamid.CON")
        self.assertEqual(contacts.message_type, "contacts")
        self.assertEqual(contacts.body, "👤 Chandler Bing +1 555-555-5555")
        reply = self.message("wamid.REP")
        self.assertEqual(reply.body, "replied text")
        self.assertEqual(reply.reply_to_id, out, "context.id links the quoted message")
        self.assertEqual(out.reaction, "😮", "a reaction updates the quoted message")
        self.assertFalse(self.message("wamid.REA"), "a reaction is no message of its own")
        unsupported = self.message("wamid.UNS")
        self.assertEqual(unsupported.message_type, "unsupported")
        self.assertIn("131051", unsupported.failure_reason)
        self.assertIn("not supported", unsupported.failure_reason)
        conv = out.conversation_id
        self.assertEqual(
            (location | contacts | reply | unsupported).conversation_id, conv, "all in the open conversation"
        )

    def test_reaction_changed_then_removed(self):
        out = self.agent_message("wamid.OUT2")
        self.receive(wa.notification([wa.reaction("wamid.R1", "wamid.OUT2", "👍")]))
        self.assertEqual(out.reaction, "👍")
        self.receive(wa.notification([wa.reaction("wamid.R2", "wamid.OUT2", "❤️")]))
        self.assertEqual(out.reaction, "❤️")
        self.receive(wa.notification([wa.reaction("wamid.R3", "wamid.OUT2", "")]))
        self.assertFalse(out.reaction, "an empty emoji removes the reaction")
        # a reaction to a message we never stored is absorbed, not an error
        self.receive(wa.notification([wa.reaction("wamid.R4", "wamid.UNKNOWN", "👍")]))

    def test_reply_to_unknown_message(self):
        self.receive(wa.notification([wa.text("wamid.Q", "about that", context_id="wamid.NEVER_SEEN")]))
        message = self.message("wamid.Q")
        self.assertEqual(message.body, "about that")
        self.assertFalse(message.reply_to_id)
