from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ChatbotConversationCase


@tagged("post_install", "-at_install")
class TestHelpdeskBridge(ChatbotConversationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "After-sales"})
        cls.agent = new_test_user(
            cls.env,
            "ticket_agent",
            groups="mychat_omnichannel.group_mychat_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.team.user_ids = [(4, cls.agent.id)]

    def test_ticket_from_chatbot_conversation(self):
        conv = self.post_bot_event(self.bot_event("hd_1"), "msg_ticket_1")
        self.assertTrue(conv.is_chatbot)
        self.assertEqual(conv.partner_id, self.customer)
        action = conv.with_user(self.agent).action_mychat_ticket_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.agent).with_context(**action["context"]))
        wizard.team_id = self.team
        wizard.remember_team = True
        result = wizard.save().action_confirm()
        ticket = self.env["helpdesk.ticket"].browse(result["res_id"])
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.partner_email, "dana@example.com")
        self.assertEqual(ticket.channel_id, self.env.ref("mychat_helpdesk.helpdesk_ticket_channel_mychat"))
        self.assertNotEqual(ticket.number, "/", "numbered by helpdesk_mgmt's sequence")
        self.assertEqual(ticket.mychat_conversation_ids, conv)
        self.assertEqual(conv.mychat_ticket_ids, ticket)
        description = str(ticket.description)
        self.assertIn("Serial number", description)
        self.assertIn("SN-4471", description)
        self.assertIn(f"/odoo/mychat.conversation/{conv.id}", description)
        self.assertEqual(set(ticket.mychat_data_ids.mapped("value")), {"Solar heater S2", "SN-4471"})
        self.assertEqual(self.env.company.mychat_helpdesk_team_id, self.team)
        partner = self.customer.with_user(self.agent)
        self.assertIn(ticket, partner.mychat_ticket_ids)
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="mychat_ticket_ids"', arch)
        self.assertEqual(ticket.with_user(self.agent).action_view_mychat_conversations()["res_id"], conv.id)

    def test_link_existing_ticket(self):
        conv = self.post_bot_event(self.bot_event("hd_2"), "msg_ticket_2")
        existing = self.env["helpdesk.ticket"].create({"name": "Heater", "description": "<p>old</p>"})
        conv.with_user(self.agent).mychat_link_ticket(existing.id)
        self.assertEqual(existing.mychat_conversation_ids, conv)
        with self.assertRaises(UserError):
            conv.mychat_link_ticket(999999999)
        with self.assertRaises(UserError):
            conv.mychat_create_ticket(999999999)
        self.assertIsInstance(conv.mychat_create_ticket(), int, "a ticket may have no team")

    def test_lead_rule_opens_a_ticket(self):
        self.env["mychat.lead.rule"].create(
            {
                "name": "Broken products",
                "sequence": 1,
                "rule_type": "ticket",
                "keywords": "broken",
                "only_unknown": False,
                "mychat_helpdesk_team_id": self.team.id,
                "user_id": self.agent.id,
            }
        )
        conv = self.post_bot_event(self.bot_event("hd_3"), "msg_ticket_3")
        ticket = conv.mychat_ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.user_id, self.agent)
        self.assertFalse(conv.lead_id, "a service request instead of a lead")
        self.assertIn("SN-4471", ticket.mychat_data_ids.mapped("value"))
        event = self.bot_event("hd_3", text="Still broken")
        event["transcript"].append(
            {"id": "m3", "role": "user", "text": "Still broken", "ts": "2026-06-01T10:05:00Z"}
        )
        self.post_bot_event(event, "msg_ticket_4")
        self.assertEqual(len(conv.mychat_ticket_ids), 1, "one open ticket per conversation")
