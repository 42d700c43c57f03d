from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ChatbotConversationCase


@tagged("post_install", "-at_install")
class TestProjectBridge(ChatbotConversationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create({"name": "Service desk"})
        cls.agent = new_test_user(
            cls.env,
            "task_agent",
            groups="mychat_omnichannel.group_mychat_user,project.group_project_user",
        )

    def test_task_from_chatbot_conversation(self):
        conv = self.post_bot_event(self.bot_event(), "msg_task_1")
        self.assertTrue(conv.is_chatbot)
        self.assertEqual(conv.partner_id, self.customer, "the bot's contact email identifies the customer")
        # the agent uses the wizard, as from the conversation's Task button
        action = conv.with_user(self.agent).action_mychat_task_wizard()
        wizard = Form(self.env[action["res_model"]].with_user(self.agent).with_context(**action["context"]))
        wizard.project_id = self.project
        wizard.remember_project = True
        result = wizard.save().action_confirm()
        task = self.env["project.task"].browse(result["res_id"])
        self.assertEqual(task.project_id, self.project)
        self.assertEqual(task.partner_id, self.customer)
        self.assertEqual(task.mychat_conversation_ids, conv)
        self.assertEqual(conv.mychat_task_ids, task)
        description = str(task.description)
        self.assertIn("Serial number", description)
        self.assertIn("SN-4471", description)
        self.assertIn("My heater is broken", description)
        self.assertIn(f"/odoo/mychat.conversation/{conv.id}", description, "a link to the transcript")
        self.assertEqual(
            conv.company_id.mychat_project_id or self.env.company.mychat_project_id, self.project
        )
        # the partner's Events tab lists it, as the agent sees it
        partner = self.customer.with_user(self.agent)
        self.assertIn(task, partner.mychat_task_ids)
        self.assertIn(conv, partner.mychat_event_ids)
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="mychat_task_ids"', arch)
        # the task shows its conversation
        self.assertEqual(task.with_user(self.agent).action_view_mychat_conversations()["res_id"], conv.id)

    def test_link_existing_task_and_rpc(self):
        conv = self.post_bot_event(self.bot_event("svc_2"), "msg_task_2")
        existing = self.env["project.task"].create({"name": "Heater SN-4471", "project_id": self.project.id})
        conv.with_user(self.agent).mychat_link_task(existing.id)
        self.assertEqual(existing.mychat_conversation_ids, conv)
        self.assertEqual(conv.mychat_task_count, 1)
        task_id = conv.mychat_create_task(self.project.id, "Second visit")
        self.assertIsInstance(task_id, int)
        self.assertEqual(conv.mychat_task_count, 2)
        self.env.company.mychat_project_id = False
        with self.assertRaises(UserError):
            conv.mychat_create_task()
        with self.assertRaises(UserError):
            conv.mychat_link_task(999999999)

    def test_lead_rule_opens_a_task(self):
        rule = self.env["mychat.lead.rule"].create(
            {
                "name": "Repairs",
                "sequence": 1,
                "rule_type": "task",
                "keywords": "broken",
                "only_unknown": False,
                "mychat_project_id": self.project.id,
                "user_id": self.agent.id,
            }
        )
        conv = self.post_bot_event(self.bot_event("svc_3"), "msg_task_3")
        task = conv.mychat_task_ids
        self.assertEqual(len(task), 1, "the rule opened a task")
        self.assertEqual(task.project_id, self.project)
        self.assertEqual(task.user_ids, self.agent)
        self.assertIn("My heater is broken", str(task.description))
        self.assertIn("SN-4471", task.mychat_data_ids.mapped("value"), "the data the bot collected after")
        self.assertFalse(conv.lead_id, "a service request instead of a lead")
        # more messages: still one open task
        event = self.bot_event("svc_3", text="Still broken")
        event["transcript"].append(
            {"id": "m3", "role": "user", "text": "Still broken", "ts": "2026-06-01T10:05:00Z"}
        )
        self.post_bot_event(event, "msg_task_4")
        self.assertEqual(len(conv.mychat_task_ids), 1)
        rule.active = False
        self.assertEqual(rule.rule_type, "task")
