import time

from odoo.tests import tagged

from . import whatsapp_payloads as wa
from .common import MychatHttpCase, load_sample


@tagged("post_install", "-at_install")
class TestWhatsappStatus(MychatHttpCase):
    """Delivery statuses from the webhook move outbound messages forward only."""

    def setUp(self):
        super().setUp()
        self.receive(wa.notification([wa.text("wamid.IN1", "hi")]))
        conv = self.env["mychat.message"].search([("external_id", "=", "wamid.IN1")]).conversation_id
        self.fake.route("POST", r"/messages$", (200, {"messages": [{"id": "wamid.OUT1"}]}))
        self.out = self.env["mychat.message"].browse(conv.send_reply("Your quote is ready"))
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
