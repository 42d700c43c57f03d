import time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .crm_common import MychatCrmCase

SENDER = "972541234567"


@tagged("post_install", "-at_install")
class TestCrmLinks(MychatCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mychat.lead.rule"].search([]).active = False
        cls.dana = cls.env["res.partner"].create({"name": "Dana Levi", "phone": "054-123-4567"})

    def test_create_opportunity_prefilled_and_linked(self):
        conv = self.receive(SENDER, "Do you install solar panels?", name="Dana")
        action = conv.action_create_opportunity()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(conv.lead_id, lead)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, self.dana)
        self.assertEqual(lead.phone, "+972541234567")
        self.assertIn("solar panels", lead.description)
        self.assertEqual(lead.source_id.name, self.channel.name)
        self.assertEqual(lead.mychat_conversation_ids, conv)
        self.assertEqual(lead.mychat_conversation_count, 1)
        conv.action_unlink_lead()
        self.assertFalse(conv.lead_id)
        self.assertEqual(lead.mychat_conversation_count, 0)

    def test_link_existing_lead_partner_first(self):
        own = self.env["crm.lead"].create(
            {"name": "Dana's roof", "partner_id": self.dana.id, "type": "opportunity"}
        )
        self.env["crm.lead"].create({"name": "Someone else's", "type": "opportunity"})
        conv = self.receive(SENDER, "About my roof")
        action = conv.action_link_lead()
        with Form(self.env[action["res_model"]].with_context(**action["context"])) as form:
            self.assertEqual(form.lead_id, own, "the customer's open lead is proposed")
            self.assertFalse(form.search_all, "search restricted to the customer's leads")
        form.record.action_link()
        self.assertEqual(conv.lead_id, own)
        self.assertEqual(own.mychat_conversation_ids, conv)

    def test_message_customer_from_lead(self):
        conv = self.receive(SENDER, "Call me back")
        lead = self.env["crm.lead"].create({"name": "Callback", "partner_id": self.dana.id})
        self.assertEqual(lead.mychat_history_ids, conv, "the customer's conversations appear on the lead")
        conv.action_resolve()
        action = lead.action_mychat_message_customer()
        self.assertEqual((action["res_model"], action["res_id"]), ("mychat.conversation", conv.id))
        self.assertEqual(conv.state, "open", "continued on the customer's last channel")
        self.assertEqual(conv.lead_id, lead)
        conv.send_reply("Calling you in 5 minutes")
        self.env["mychat.message"]._cron_send_queued()
        self.assertTrue(self.fake.calls("POST", "messages"), "the reply went out through the channel")

    def test_message_customer_window_closed(self):
        self.receive(SENDER, "old message", ts=time.time() - 3 * 86400)
        lead = self.env["crm.lead"].create({"name": "Old", "partner_id": self.dana.id})
        action = lead.action_mychat_message_customer()
        self.assertEqual(action["res_model"], "mychat.start.conversation", "a template is offered")
        self.assertEqual(action["context"]["default_partner_ids"], self.dana.ids)
        nobody = self.env["crm.lead"].create({"name": "Never wrote"})
        with self.assertRaisesRegex(UserError, "never written"):
            nobody.action_mychat_message_customer()

    def _convert(self, lead, **values):
        ctx = {"active_model": "crm.lead", "active_id": lead.id, "active_ids": lead.ids}
        with Form(self.env["crm.lead2opportunity.partner"].with_context(**ctx)) as form:
            for name, value in values.items():
                setattr(form, name, value)
        form.record.action_apply()

    def test_conversion_to_existing_customer_carries_conversations(self):
        conv = self.receive("972525551234", "Interested in a quote", name="Unknown Avi")
        self.assertFalse(conv.partner_id)
        lead = self.env["crm.lead"].create({"name": "Avi quote", "type": "lead", "contact_name": "Avi"})
        conv.lead_id = lead
        avi = self.env["res.partner"].create({"name": "Avi Cohen", "email": "avi@example.com"})
        self._convert(lead, name="convert", action="exist", partner_id=avi)
        self.assertEqual(lead.partner_id, avi)
        self.assertEqual(conv.partner_id, avi)
        conv.action_resolve()
        self.assertEqual(
            self.receive("972525551234", "and one more thing").partner_id, avi, "future ones too"
        )
        later = self.env["crm.lead"].create({"name": "Avi second deal", "partner_id": avi.id})
        self.assertEqual(len(later.mychat_history_ids), 2, "later opportunities see the same history")
        self.assertEqual(avi.mychat_conversation_count, 2)

    def test_conversion_to_new_customer(self):
        conv = self.receive("972525551234", "Hello", name="Avi")
        lead = self.env["crm.lead"].create({"name": "Avi", "type": "lead", "contact_name": "Avi Cohen"})
        conv.lead_id = lead
        self._convert(lead, name="convert", action="create")
        self.assertTrue(lead.partner_id)
        self.assertEqual(conv.partner_id, lead.partner_id)

    def test_schedule_activity_on_lead_or_customer(self):
        conv = self.receive(SENDER, "Remind me next week")
        action = conv.action_schedule_activity()
        self.assertEqual(action["context"]["active_model"], "res.partner")
        with Form(self.env[action["res_model"]].with_context(**action["context"])) as form:
            self.assertTrue(form.activity_type_id)
        form.record.action_schedule_activities()
        activity = self.dana.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn(conv.display_name, activity.summary)
        conv.action_create_opportunity()
        self.assertEqual(conv.action_schedule_activity()["context"]["active_model"], "crm.lead")
        unknown = self.receive("972525551234", "hi")
        with self.assertRaises(UserError):
            unknown.action_schedule_activity()

    def test_enrich_partner_one_field_per_click(self):
        contact = self.env["mychat.contact"].create(
            {
                "channel_id": self.channel.id,
                "external_id": "bot-1",
                "phone": "054-123-4567",
                "email": "Dana@Example.com",
                "customer_ref": "C-1001",
                "national_id": "12345674",
            }
        )
        self.assertEqual(contact.partner_id, self.dana, "identified by phone")
        conv = self.env["mychat.conversation"].create(
            {"channel_id": self.channel.id, "contact_id": contact.id}
        )
        self.assertFalse(conv.enrich_phone, "the customer already has this phone")
        self.assertEqual(conv.enrich_email, "dana@example.com")
        self.assertEqual(conv.enrich_ref, "C-1001")
        self.assertEqual(conv.enrich_vat, "012345674")
        conv.with_context(mychat_enrich_field="email").action_enrich_partner()
        self.assertEqual(self.dana.email, "dana@example.com")
        self.assertFalse(self.dana.ref, "one field per click")
        conv.with_context(mychat_enrich_field="ref").action_enrich_partner()
        conv.with_context(mychat_enrich_field="vat").action_enrich_partner()
        self.assertEqual((self.dana.ref, self.dana.vat), ("C-1001", "012345674"))
        self.assertFalse(conv.enrich_email or conv.enrich_ref or conv.enrich_vat)
