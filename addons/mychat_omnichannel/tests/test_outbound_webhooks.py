import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from . import whatsapp_payloads as wa
from .common import MychatHttpCase

SECRET = "whsec_" + base64.b64encode(b"integrator-secret-0123456789abcd").decode()


def reference_verify(secret, headers, body, tolerance=300):
    """Standard Webhooks' reference verification (as in the spec's libraries), written out on its own."""
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{msg_id}.{timestamp}.{body.decode()}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        version == "v1" and hmac.compare_digest(expected, signature)
        for version, _sep, signature in (
            part.partition(",") for part in headers["webhook-signature"].split(" ")
        )
    )


@tagged("post_install", "-at_install")
class TestOutboundWebhooks(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls.env["mychat.webhook.subscription"].create(
            {"name": "ERP", "url": f"{cls.fake.url}/hooks/mychat", "secret": SECRET}
        )

    def Delivery(self):
        return self.env["mychat.webhook.delivery"]

    def receive(self, wamid="wamid.HOOK1", body="Hello, I need a quote"):
        response = self.post_signed(wa.notification([wa.text(wamid, body)]))
        self.assertEqual(response.status_code, 200)
        self.process()
        return self.env["mychat.message"].search([("external_id", "=", wamid)])

    def deliver(self):
        self.Delivery()._cron_deliver()
        return self.fake.calls("POST", r"^/hooks/mychat")

    def test_inbound_message_delivered_once_and_signed(self):
        self.fake.route("POST", r"^/hooks/mychat", (200, {"ok": True}))
        self.subscription.event_types = "conversation.created,message.received"
        message = self.receive()
        cron = self.env.ref("mychat_omnichannel.ir_cron_webhook_deliver")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), "the cron is woken up"
        )
        self.assertFalse(self.fake.calls("POST", r"^/hooks/"), "nothing is sent inside the transaction")
        calls = self.deliver()
        events = [json.loads(call["body"]) for call in calls]
        self.assertEqual([e["type"] for e in events], ["conversation.created", "message.received"])
        received = events[1]
        self.assertEqual(received["data"]["conversation_id"], message.conversation_id.id)
        self.assertEqual(received["data"]["message_id"], message.id)
        self.assertIsInstance(received["data"]["message_id"], int)
        self.assertEqual(received["data"]["body"], "Hello, I need a quote")
        self.assertEqual(received["data"]["direction"], "inbound")
        self.assertTrue(received["timestamp"].endswith("Z"))
        for call in calls:
            headers = {k.lower(): v for k, v in call["headers"].items()}
            self.assertTrue(headers["webhook-id"].startswith("msg_"))
            self.assertTrue(
                reference_verify(SECRET, headers, call["body"]), "signed with the subscription's key"
            )
            self.assertFalse(
                reference_verify("whsec_" + base64.b64encode(b"x" * 32).decode(), headers, call["body"])
            )
        # delivered once: the cron again, and the same provider delivery again, send nothing new
        self.assertEqual(len(self.deliver()), 2)
        self.receive()
        self.assertEqual(len(self.deliver()), 2, "a duplicate provider delivery is no new event")
        deliveries = self.Delivery().search([("subscription_id", "=", self.subscription.id)])
        self.assertEqual(set(deliveries.mapped("state")), {"done"})
        self.assertEqual(deliveries.attempt_ids.mapped("status_code"), [200, 200])

    def test_retried_after_500_with_the_same_id(self):
        self.fake.route("POST", r"^/hooks/mychat", (500, {"error": "down"}), (200, {"ok": True}))
        self.subscription.event_types = "message.received"
        self.receive()
        delivery = self.Delivery().search([("subscription_id", "=", self.subscription.id)])
        self.assertEqual(len(delivery), 1, "only the subscribed event is queued")
        first = self.deliver()
        self.assertEqual(len(first), 1)
        self.assertEqual(delivery.state, "pending")
        self.assertEqual(delivery.last_status_code, 500)
        wait = delivery.next_attempt_date - fields.Datetime.now()
        self.assertLessEqual(wait, timedelta(minutes=2), "first retry within 2 minutes")
        self.assertGreater(wait, timedelta(0))
        self.assertEqual(len(self.deliver()), 1, "not retried before its time")
        delivery.next_attempt_date = fields.Datetime.now() - timedelta(seconds=1)
        calls = self.deliver()
        self.assertEqual(len(calls), 2)
        self.assertEqual(
            calls[0]["headers"]["webhook-id"], calls[1]["headers"]["webhook-id"], "same webhook-id"
        )
        self.assertEqual(calls[0]["body"], calls[1]["body"])
        headers = {k.lower(): v for k, v in calls[1]["headers"].items()}
        self.assertTrue(reference_verify(SECRET, headers, calls[1]["body"]))
        self.assertEqual(delivery.state, "done")
        self.assertEqual(sorted(delivery.attempt_ids.mapped("status_code")), [200, 500])
        self.assertEqual(self.subscription.failure_count, 0, "a success resets the failure count")

    def test_not_sent_when_the_transaction_rolled_back(self):
        self.fake.route("POST", r"^/hooks/mychat", (200, {"ok": True}))
        message = self.receive()
        self.deliver()
        self.fake.requests.clear()
        conv = message.conversation_id
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            conv.action_resolve()
            self.assertTrue(self.Delivery().search([("event_type", "=", "conversation.resolved")]))
            _failed_after_the_change = 1 / 0
        self.assertFalse(self.Delivery().search([("event_type", "=", "conversation.resolved")]))
        self.assertFalse(self.deliver(), "nothing is sent for a rolled back change")

    def test_conversation_and_status_events(self):
        self.fake.route("POST", r"^/hooks/mychat", (200, {"ok": True}))
        message = self.receive()
        conv = message.conversation_id
        agent = new_test_user(self.env, "hook_agent", groups="mychat_omnichannel.group_mychat_user")
        lead = self.env["crm.lead"].create({"name": "Quote"})
        self.deliver()
        self.fake.requests.clear()
        conv.user_id = agent
        conv.user_id = agent  # the same agent again: no second event
        conv.lead_id = lead
        outbound = self.env["mychat.message"].create(
            {
                "conversation_id": conv.id,
                "direction": "outbound",
                "author_kind": "agent",
                "body": "Hi",
                "state": "queued",
            }
        )
        outbound.state = "sent"
        outbound.state = "delivered"
        conv.action_resolve()
        conv.action_resolve()
        events = [json.loads(call["body"]) for call in self.deliver()]
        types = [e["type"] for e in events]
        self.assertEqual(
            types,
            [
                "conversation.assigned",
                "lead.linked",
                "message.status",
                "message.status",
                "conversation.resolved",
            ],
        )
        by_type = {e["type"]: e["data"] for e in events}
        self.assertEqual(by_type["conversation.assigned"]["user_id"], agent.id)
        self.assertEqual(by_type["lead.linked"]["lead_id"], lead.id)
        self.assertEqual(by_type["conversation.resolved"]["state"], "resolved")
        statuses = [e["data"] for e in events if e["type"] == "message.status"]
        self.assertEqual(
            [(s["previous_state"], s["state"]) for s in statuses], [("queued", "sent"), ("sent", "delivered")]
        )
        self.assertEqual(statuses[0]["message_id"], outbound.id)

    def test_disabled_after_repeated_failures(self):
        self.env["ir.config_parameter"].set_param("mychat.webhook_disable_after", "2")
        self.fake.route("POST", r"^/hooks/mychat", (503, {"error": "down"}))
        self.receive()  # two events: conversation.created and message.received
        self.deliver()
        self.assertFalse(self.subscription.active)
        self.assertIn("503", self.subscription.disabled_reason)
        self.assertTrue(self.subscription.activity_ids, "the administrator gets an activity")
        self.assertEqual(set(self.subscription.delivery_ids.mapped("state")), {"cancelled"})
        self.fake.requests.clear()
        self.receive("wamid.HOOK2")
        self.assertFalse(self.Delivery().search([("message_id.external_id", "=", "wamid.HOOK2")]))
        self.subscription.action_enable()
        self.assertTrue(self.subscription.active)
        self.assertEqual(self.subscription.failure_count, 0)

    def test_validation_and_rights(self):
        Subscription = self.env["mychat.webhook.subscription"]
        with self.assertRaises(ValidationError):
            Subscription.create({"name": "bad", "url": "ftp://example.com/x"})
        with self.assertRaises(ValidationError):
            Subscription.create(
                {"name": "bad", "url": "http://127.0.0.1:9/x", "event_types": "message.exploded"}
            )
        local = Subscription.create(
            {"name": "local", "url": "http://127.0.0.1:9/x", "event_types": " message.sent , lead.linked "}
        )
        self.assertEqual(local.event_types, "message.sent,lead.linked")
        self.assertTrue(local.secret.startswith("whsec_"))
        manager = new_test_user(self.env, "hook_manager", groups="mychat_omnichannel.group_mychat_manager")
        with self.assertRaises(AccessError):
            Subscription.with_user(manager).search([])
        with self.assertRaises(AccessError):
            self.env["mychat.webhook.delivery"].with_user(manager).search([])

    def test_unreachable_receiver_is_retried(self):
        self.subscription.url = "http://127.0.0.1:9/closed"
        self.subscription.event_types = "message.received"
        self.receive()
        self.deliver()
        delivery = self.Delivery().search([("subscription_id", "=", self.subscription.id)])
        self.assertEqual(delivery.state, "pending")
        self.assertEqual(delivery.last_status_code, 0)
        self.assertTrue(delivery.last_error)


@tagged("post_install", "-at_install")
class TestIntegratorApi(MychatHttpCase):
    """The examples of readme/API.md: JSON-2 with an API key, and XML-RPC."""

    def test_json2_and_xmlrpc_examples(self):
        admin = self.env.ref("base.user_admin")
        key = self.env["res.users.apikeys"].with_user(admin)._generate(None, "integration", None)
        headers = {
            "Authorization": f"bearer {key}",
            "X-Odoo-Database": self.env.cr.dbname,
            "Content-Type": "application/json",
        }

        def json2(model, method, **params):
            response = self.url_open(f"/json/2/{model}/{method}", data=json.dumps(params), headers=headers)
            self.assertEqual(response.status_code, 200, response.text)
            return response.json()

        ids = json2(
            "mychat.webhook.subscription",
            "create",
            vals_list=[
                {"name": "CRM sync", "url": "https://example.com/hooks", "event_types": "message.received"}
            ],
        )
        self.assertEqual(len(ids), 1)
        self.assertIsInstance(ids[0], int)
        secret = json2("mychat.webhook.subscription", "read", ids=ids, fields=["secret"])[0]["secret"]
        self.assertTrue(secret.startswith("whsec_"))
        conv = self.env["mychat.conversation"].create(
            {
                "channel_id": self.channel.id,
                "contact_id": self.env["mychat.contact"]
                .create({"channel_id": self.channel.id, "external_id": "972500000001"})
                .id,
            }
        )
        rows = json2(
            "mychat.conversation",
            "search_read",
            domain=[["id", "=", conv.id]],
            fields=["state", "channel_id", "awaiting_reply"],
        )
        self.assertEqual(rows[0]["state"], "new")
        self.assertTrue(json2("mychat.conversation", "action_resolve", ids=[conv.id]))
        self.assertEqual(conv.state, "resolved")
        # XML-RPC: the same key is the password
        found = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            admin.id,
            key,
            "mychat.webhook.subscription",
            "search_read",
            [[["id", "in", ids]]],
            {"fields": ["name", "event_types"]},
        )
        self.assertEqual(found[0]["event_types"], "message.received")
