from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ChatbotHttpCase


@tagged("post_install", "-at_install")
class TestLeadBotData(ChatbotHttpCase):
    def event(self, event_type="conversation.handoff_requested", fields=None, transcript=None):
        return {
            "type": event_type,
            "conversation_id": "c_lead_1",
            "bot": {"id": "sales-bot", "name": "Sales bot"},
            "contact": {"external_id": "u_lead", "name": "Dana Levi", "email": "dana.lead@example.com"},
            "collected_fields": fields
            or {
                "product_interest": {"label": "Product", "value": "Solar kit"},
                "serial": {"label": "Serial number", "value": "SN-4471"},
                "company": {"label": "Company", "value": "Levi Solar Ltd"},
            },
            "transcript": transcript
            or [
                {"id": "m1", "role": "bot", "text": "Hi! Which product?", "ts": "2026-06-01T10:00:00Z"},
                {"id": "m2", "role": "user", "text": "A solar kit", "ts": "2026-06-01T10:00:09Z"},
                {"id": "m3", "role": "bot", "text": "Let me find a human", "ts": "2026-06-01T10:00:20Z"},
            ],
            "outcome": {"status": "handoff_requested", "reason": "wants a quote"},
        }

    def post(self, event, msg_id):
        self.fake.route("POST", "^/bot/events", (200, {}))
        self.assertEqual(self.post_event(event, msg_id).status_code, 200)
        self.process()
        return self.env["mychat.conversation"].search([("external_thread_id", "=", "c_lead_1")])

    def test_lead_shows_collected_data_and_bot_actions(self):
        conv = self.post(self.event(), "msg_lead_1")
        lead = self.env["crm.lead"].create({"name": "Solar kit quote", "type": "opportunity"})
        conv.lead_id = lead
        self.assertEqual(
            {(d.key, d.label, d.value) for d in lead.mychat_data_ids},
            {
                ("product_interest", "Product", "Solar kit"),
                ("serial", "Serial number", "SN-4471"),
                ("company", "Company", "Levi Solar Ltd"),
            },
        )
        self.assertEqual(conv.bot_outcome, "handoff_requested")
        self.assertEqual(conv.bot_step_count, 2)
        summary = str(lead.mychat_bot_summary)
        self.assertIn("wants a quote", summary)
        self.assertIn("Let me find a human", summary)
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}", "chatbot_sync_lead_data_tour", login="admin"
        )
        self.assertEqual(lead.partner_name, "Levi Solar Ltd")
        # the bot collects more: the lead shows it at once
        more = self.event(
            "message.created",
            fields={"budget": {"label": "Budget", "value": "12,500"}, "email": "dana.work@example.com"},
            transcript=[
                {"id": "m4", "role": "user", "text": "My budget is 12,500", "ts": "2026-06-01T10:01:00Z"}
            ],
        )
        self.post(more, "msg_lead_2")
        lead.invalidate_recordset()
        rows = {d.key: d for d in lead.mychat_data_ids}
        self.assertEqual(rows["budget"].value, "12,500")
        self.assertEqual(rows["budget"].lead_field, "expected_revenue")
        self.assertEqual(rows["email"].lead_field, "email_from")
        rows["budget"].action_set_on_lead()
        rows["email"].action_set_on_lead()
        rows["serial"].action_set_on_lead()
        self.assertEqual(lead.expected_revenue, 12500)
        self.assertEqual(lead.email_from, "dana.work@example.com")
        self.assertIn("Serial number: SN-4471", str(lead.description))
        self.assertTrue(rows["serial"].on_lead)
        rows["serial"].action_set_on_lead()
        self.assertEqual(
            str(lead.description).count("SN-4471"), 1, "a value already on the lead is not added twice"
        )

    def test_set_on_lead_needs_a_lead(self):
        conv = self.post(self.event(), "msg_lead_3")
        with self.assertRaises(UserError):
            conv.data_ids[:1].action_set_on_lead()
