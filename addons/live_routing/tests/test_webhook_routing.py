from odoo import Command
from odoo.tests import tagged

from odoo.addons.mychat_omnichannel.tests.common import MychatHttpCase, load_sample


@tagged("post_install", "-at_install")
class TestWebhookRouting(MychatHttpCase):
    """A real WhatsApp webhook call ends with an assigned, explained conversation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        always = cls.env["resource.calendar"].create({"name": "Always", "flexible_hours": True})
        cls.team = cls.env["crm.team"].create({"name": "Webhook team", "mychat_strategy": "least_busy"})
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Hook Agent",
                "login": "hook.agent",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.env["crm.team.member"].create(
            {"crm_team_id": cls.team.id, "user_id": cls.agent.id, "mychat_calendar_id": always.id}
        )
        cls.channel.team_id = cls.team

    def test_inbound_message_is_routed_and_logged(self):
        response = self.post_signed(load_sample("whatsapp_text.json"))
        self.assertEqual(response.status_code, 200)
        self.process()
        conv = self.env["mychat.conversation"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(len(conv), 1)
        self.assertEqual((conv.user_id, conv.team_id), (self.agent, self.team))
        self.assertFalse(conv.mychat_routing_pending)
        log = conv.mychat_assignment_log_ids
        self.assertEqual(
            (len(log), log.kind, log.strategy, log.user_id), (1, "rule", "least_busy", self.agent)
        )
