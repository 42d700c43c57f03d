import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from . import whatsapp_payloads as wa
from .outbound_common import OutboundCase

PASSWORD = "outbound-Sales-pass-1"


@tagged("post_install", "-at_install")
class TestStartConversation(OutboundCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="outbound_sales",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman",
            password=PASSWORD,
        )

    def rpc(self, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.salesman.id,
            PASSWORD,
            "mychat.channel",
            method,
            [[self.channel.id], *args],
            kwargs,
        )

    def test_outside_window_needs_a_template_over_rpc(self):
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.rpc("start_conversation", self.dana.id, body="Hello!")
        self.assertIn("window", refused.exception.faultString)
        self.assertIn("template", refused.exception.faultString)
        self.assertFalse(self.sends(), "nothing left for the customer")

        conv_id = self.rpc("start_conversation", self.dana.id, template_id=self.utility.id)
        self.drain()
        conv = self.env["mychat.conversation"].browse(conv_id)
        self.assertEqual(conv.partner_id, self.dana)
        self.assertEqual(conv.contact_id.external_id, wa.DANA, "the partner's number, as a wa_id")
        self.assertEqual(conv.user_id, self.salesman, "the salesperson who wrote owns it")
        [sent] = self.sends()
        self.assertEqual(sent["to"], wa.DANA)
        self.assertEqual(sent["type"], "template")
        self.assertEqual(sent["template"]["name"], "follow_up")
        params = [p["text"] for p in sent["template"]["components"][0]["parameters"]]
        self.assertEqual(params, ["Dana Levi", "Sam Seller", self.env.company.name], "filled from the record")
        message = self.env["mychat.message"].search([("conversation_id", "=", conv.id)])
        self.assertEqual(message.state, "sent")
        self.assertEqual(
            message.body, f"Hello Dana Levi, this is Sam Seller from {self.env.company.name}. May we help?"
        )

    def test_inside_window_free_text_in_the_same_conversation(self):
        inbound = self.inbound("Hi, is the kit in stock?")
        conv = inbound.conversation_id
        self.assertEqual(conv.partner_id, self.dana)
        conv_id = self.channel.with_user(self.salesman).start_conversation(self.dana.id, body="Yes, it is!")
        self.drain()
        self.assertEqual(conv_id, conv.id, "continues the open conversation")
        [sent] = self.sends()
        self.assertEqual(sent["type"], "text")
        self.assertEqual(sent["text"]["body"], "Yes, it is!")

    def test_window_open_after_resolve_reopens(self):
        conv = self.inbound("Thanks, bye").conversation_id
        conv.action_resolve()
        conv_id = self.channel.start_conversation(self.dana.id, body="One more thing")
        self.assertEqual(conv_id, conv.id)
        self.assertEqual(conv.state, "open")

    def test_values_given_as_dict_or_list(self):
        self.channel.start_conversation(
            self.dana.id, template_id=self.utility.id, values={"1": "Dana", "2": "Sam", "3": "Acme"}
        )
        self.drain()
        params = [p["text"] for p in self.sends()[0]["template"]["components"][0]["parameters"]]
        self.assertEqual(params, ["Dana", "Sam", "Acme"])
        with self.assertRaises(UserError):
            self.channel.start_conversation(self.dana.id, template_id=self.utility.id, values=["Dana"])

    def test_no_address(self):
        nobody = self.env["res.partner"].create({"name": "No Phone"})
        with self.assertRaisesRegex(UserError, "no usable phone number"):
            self.channel.start_conversation(nobody.id, template_id=self.utility.id)
        telegram = self.env["mychat.channel"].create(
            {"name": "TG", "channel_type": "telegram", "access_token": "1:x", "api_base_url": self.fake.url}
        )
        with self.assertRaisesRegex(UserError, "never written"):
            telegram.start_conversation(self.dana.id, body="Hi")
        with self.assertRaisesRegex(UserError, "does not exist"):
            self.channel.start_conversation(999999, body="Hi")
        self.assertFalse(self.channel._mychat_can_reach(nobody))
        self.assertTrue(self.channel._mychat_can_reach(self.dana))

    def test_marketing_needs_consent(self):
        with self.assertRaisesRegex(UserError, "not opted in"):
            self.channel.start_conversation(self.dana.id, template_id=self.marketing.id)
        self.env["mychat.consent"].create(
            {
                "partner_id": self.dana.id,
                "channel_id": self.channel.id,
                "state": "opted_in",
                "source": "agent",
                "proof": "Agreed on the phone on 2 May",
            }
        )
        conv_id = self.channel.start_conversation(self.dana.id, template_id=self.marketing.id)
        self.drain()
        self.assertTrue(conv_id)
        self.assertEqual(self.sends()[0]["template"]["name"], "spring_offer")

    def test_opted_out_or_blacklisted_gets_nothing(self):
        self.env["mychat.consent"].create(
            {
                "partner_id": self.dana.id,
                "channel_id": self.channel.id,
                "state": "opted_out",
                "source": "form",
                "proof": "Unsubscribe form",
            }
        )
        with self.assertRaisesRegex(UserError, "opted out"):
            self.channel.start_conversation(self.dana.id, template_id=self.utility.id)
        with self.assertRaises(xmlrpc.client.Fault) as refused:
            self.rpc("start_conversation", self.dana.id, template_id=self.utility.id)
        self.assertIn("opted out", refused.exception.faultString)
        ben = self.env["res.partner"].create({"name": "Ben", "phone": "+12025550124"})
        self.env["phone.blacklist"].sudo().create({"number": "+12025550124"})
        with self.assertRaisesRegex(UserError, "opted out"):
            self.channel.start_conversation(ben.id, template_id=self.utility.id)
        self.assertFalse(self.sends())

    def test_sms_free_text_without_window(self):
        sms = self.env["mychat.channel"].create(
            {
                "name": "SMS",
                "channel_type": "sms",
                "secret": "tok",
                "sms_account_sid": "AC1",
                "external_account_id": "+14155550000",
                "api_base_url": f"{self.fake.url}/2010-04-01",
            }
        )
        self.fake.route("POST", r"/Accounts/AC1/Messages\.json$", (201, {"sid": "SM1", "status": "queued"}))
        conv = self.env["mychat.conversation"].browse(
            sms.start_conversation(self.dana.id, body="Your order is ready")
        )
        self.drain()
        [call] = self.fake.calls("POST", r"/Messages\.json$")
        self.assertIn(b"Your+order+is+ready", call["body"])
        self.assertIn(b"%2B972541234567", call["body"])
        self.assertEqual(conv.contact_id.external_id, "+972541234567")

    def test_wizard_from_lead_offers_a_template_once_the_window_closed(self):
        lead = self.env["crm.lead"].create(
            {"name": "Solar kit", "partner_id": self.dana.id, "user_id": self.salesman.id}
        )
        old = fields.Datetime.now() - timedelta(days=3)
        conv = self.inbound("Price?", ts=old.timestamp()).conversation_id
        conv.lead_id = lead
        action = lead.with_user(self.salesman).action_mychat_message_customer()
        self.assertEqual(
            action["res_model"], "mychat.start.conversation", "a template is offered instead of refusing"
        )
        wizard = (
            self.env["mychat.start.conversation"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.channel_id, self.channel)
        self.assertFalse(wizard.free_text_allowed)
        self.assertTrue(wizard.use_template)
        wizard.template_id = self.utility
        self.assertEqual(wizard.value_1, "Dana Levi")
        self.assertEqual(wizard.value_2, "Sam Seller", "the lead's salesperson")
        self.assertIn("Hello Dana Levi, this is Sam Seller", wizard.preview)
        wizard.value_2 = "Sam"
        result = wizard.action_start()
        self.drain()
        self.assertEqual(result["res_id"], conv.id)
        params = [p["text"] for p in self.sends()[0]["template"]["components"][0]["parameters"]]
        self.assertEqual(params[:2], ["Dana Levi", "Sam"])

    def test_wizard_for_several_partners(self):
        ben = self.env["res.partner"].create({"name": "Ben", "phone": "+972541110001"})
        nobody = self.env["res.partner"].create({"name": "Nobody"})
        action = (self.dana | ben | nobody).action_mychat_start_conversation()
        wizard = (
            self.env["mychat.start.conversation"]
            .with_context(**action["context"])
            .create({"template_id": self.utility.id})
        )
        self.assertEqual(wizard.recipient_count, 3)
        result = wizard.action_start()
        self.drain()
        self.assertIn("2 conversations started, 1 not", result["params"]["message"])
        self.assertEqual(sorted(self.sent_to), sorted([wa.DANA, "972541110001"]))
        params = {s["to"]: s["template"]["components"][0]["parameters"][0]["text"] for s in self.sends()}
        self.assertEqual(params["972541110001"], "Ben", "filled per recipient")
