import socket
import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .outbound_common import OutboundCase

PASSWORD = "fallback-Sales-pass-1"
SMS_MESSAGES = r"/Accounts/AC1/Messages\.json$"


def closed_port():
    """A local TCP port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@tagged("post_install", "-at_install")
class TestWindowFallback(OutboundCase):
    """The reply window of a WhatsApp conversation is closed: besides templates, the composer offers the
    other ways to reach the same customer, and a way to get a template."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="fallback_sales",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman",
            password=PASSWORD,
        )
        cls.sms = cls.env["mychat.channel"].create(
            {
                "name": "SMS office",
                "channel_type": "sms",
                "secret": "tok",
                "sms_account_sid": "AC1",
                "external_account_id": "+14155550000",
                "api_base_url": f"{cls.fake.url}/2010-04-01",
            }
        )
        cls.dana.email = "dana@example.com"

    def setUp(self):
        super().setUp()
        stale = fields.Datetime.now() - timedelta(hours=30)
        message = self.inbound("Is my order ready?", ts=int(stale.timestamp()))
        self.conv = message.conversation_id
        self.conv.partner_id = self.dana
        self.conv.user_id = self.salesman
        self.assertFalse(self.conv._mychat_window_open())

    def rpc(self, method, *args, model="mychat.conversation", ids=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.salesman.id,
            PASSWORD,
            model,
            method,
            [ids or [self.conv.id], *args],
            {},
        )

    def test_offers_sms_and_email_over_rpc(self):
        fallback = self.rpc("mychat_window_fallback")
        self.assertEqual(
            [c["name"] for c in fallback["channels"]],
            ["SMS office"],
            "no window there, and it has her number",
        )
        self.assertTrue(fallback["email"])
        self.assertEqual(fallback["partner_name"], "Dana Levi")
        self.assertFalse(fallback["can_create_template"], "a salesperson asks a manager")

        as_admin = self.conv.mychat_window_fallback()
        self.assertTrue(as_admin["can_create_template"])
        self.assertTrue(as_admin["can_sync_templates"], "the channel has its WhatsApp Business Account")

        # she opted out of SMS: that way is no longer offered
        self.env["mychat.consent"].create(
            {"partner_id": self.dana.id, "channel_id": self.sms.id, "state": "opted_out", "source": "agent"}
        )
        self.assertFalse(self.rpc("mychat_window_fallback")["channels"])

    def test_reach_by_sms_sends_free_text(self):
        action = self.rpc("action_mychat_reach_by", self.sms.id)
        self.assertEqual(action["res_model"], "mychat.start.conversation")
        self.assertEqual(action["context"]["default_channel_id"], self.sms.id)
        self.assertEqual(action["context"]["default_partner_ids"], [self.dana.id])
        self.fake.route("POST", SMS_MESSAGES, (201, {"sid": "SM1", "status": "queued"}))
        wizard = (
            self.env["mychat.start.conversation"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({"body": "Your order is ready, Dana"})
        )
        self.assertTrue(wizard.free_text_allowed)
        wizard.action_start()
        self.drain()
        [call] = self.fake.calls("POST", SMS_MESSAGES)
        self.assertIn(b"Your+order+is+ready", call["body"])
        self.assertIn(b"%2B972541234567", call["body"])

    def test_email_through_the_chatter(self):
        action = self.rpc("action_mychat_email")
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({"subject": "Your order", "body": "<p>It is ready for pickup.</p>"})
        )
        composer.action_send_mail()
        posted = self.dana.message_ids.filtered(lambda m: m.subject == "Your order")
        self.assertEqual(posted.partner_ids, self.dana, "sent to her by e-mail")
        self.assertEqual(posted.author_id, self.salesman.partner_id)

        self.dana.email = False
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.rpc("action_mychat_email")
        self.assertIn("no e-mail address", refused.exception.faultString)

    def test_new_template_is_for_managers(self):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.rpc("action_mychat_new_template")
        self.assertIn("managers", refused.exception.faultString)
        action = self.conv.action_mychat_new_template()
        self.assertEqual(action["res_model"], "mychat.template")
        self.assertEqual(action["context"]["default_channel_id"], self.channel.id)
        self.assertEqual(action["context"]["default_status"], "draft")


@tagged("post_install", "-at_install")
class TestPlainTransportErrors(OutboundCase):
    """An unreachable provider is told to the agent in plain words; the network library's text, secrets
    masked, is kept for administrators only."""

    def test_unreachable_telegram_bot(self):
        bot = self.env["mychat.channel"].create(
            {
                "name": "Telegram bot",
                "channel_type": "telegram",
                "secret": "tg-secret",
                "access_token": "123456:SECRET-bot-token",
                "api_base_url": f"http://127.0.0.1:{closed_port()}",
            }
        )
        contact = self.env["mychat.contact"].create({"channel_id": bot.id, "external_id": "5550001"})
        conv = self.env["mychat.conversation"].create({"channel_id": bot.id, "contact_id": contact.id})
        conv.send_reply("Hello")
        self.drain()
        message = conv.mychat_message_ids
        self.assertEqual(message.failure_kind, "transient", "retried later")
        self.assertEqual(
            message.failure_reason,
            "Telegram bot could not be reached: no network connection, or the provider is down.",
        )
        self.assertIn("ConnectionError", message.failure_detail)
        self.assertNotIn("SECRET-bot-token", message.failure_detail)
        self.assertIn("127.0.0.1", message.failure_detail, "where it tried, for the administrator")

        salesman = new_test_user(
            self.env, login="plain_sales", groups="sales_team.group_sale_salesman", password=PASSWORD
        )
        read = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            salesman.id,
            PASSWORD,
            "mychat.message",
            "read",
            [message.ids, ["failure_reason"]],
        )
        self.assertIn("could not be reached", read[0]["failure_reason"])
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                salesman.id,
                PASSWORD,
                "mychat.message",
                "read",
                [message.ids, ["failure_detail"]],
            )

        bot.api_base_url = self.fake.url
        self.fake.route("POST", r"/sendMessage$", (200, {"ok": True, "result": {"message_id": 7}}))
        message.action_retry()
        self.drain()
        self.assertEqual(message.state, "sent")
        self.assertFalse(message.failure_reason)
        self.assertFalse(message.failure_detail)
