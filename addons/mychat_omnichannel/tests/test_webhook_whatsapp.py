import json
import threading
from datetime import datetime

import requests

from odoo.tests import tagged

from ..tools.signatures import meta_signature
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
        self.assertEqual(dana.message_ids.mapped("body"), ["first", "second"])

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
