from urllib.parse import parse_qs

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.mychat_omnichannel.tests.common import MychatCase
from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage


@tagged("post_install", "-at_install")
class TestSmsAlert(MychatCase):
    """A team that asks for it texts the assigned agent through the company's MyChat SMS channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        always = cls.env["resource.calendar"].create({"name": "Always", "flexible_hours": True})
        cls.team = cls.env["crm.team"].create({"name": "SMS team", "mychat_sms_alert": True})
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Texted Agent",
                "login": "texted.agent",
                "phone": "+972 54-765-4321",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.env["crm.team.member"].create(
            {"crm_team_id": cls.team.id, "user_id": cls.agent.id, "mychat_calendar_id": always.id}
        )
        cls.channel.team_id = cls.team

    def arrive(self, sender="972501112233"):
        item = InboundMessage(
            external_id=f"wamid.sms.{sender}",
            contact=InboundContact(external_id=sender, name="Visitor"),
            date=fields.Datetime.now(),
            body="Hello",
        )
        return self.env["mychat.conversation"]._mychat_ingest(self.channel, item).conversation_id

    def test_agent_is_texted(self):
        sms = self.env["mychat.channel"].create(
            {
                "name": "SMS alerts",
                "channel_type": "sms",
                "secret": "twilio-token",
                "sms_account_sid": "AC123",
                "external_account_id": "+14155550000",
                "api_base_url": f"{self.fake.url}/2010-04-01",
            }
        )
        self.fake.route("POST", r"Messages\.json$", (201, {"sid": "SM1", "status": "queued"}))
        conv = self.arrive()
        self.assertEqual(conv.user_id, self.agent)
        calls = self.fake.calls("POST", r"/Accounts/AC123/Messages\.json$")
        self.assertEqual(len(calls), 1)
        form = parse_qs(calls[0]["body"].decode())
        self.assertEqual(form["To"], ["+972547654321"])
        self.assertIn(conv.display_name, form["Body"][0])
        self.assertFalse(
            self.env["mychat.conversation"].search([("channel_id", "=", sms.id)]),
            "an alert is no customer conversation: no contact or conversation is made up for it",
        )

    def test_without_sms_channel_the_log_says_so(self):
        conv = self.arrive("972501112244")
        self.assertEqual(conv.user_id, self.agent)
        reasons = conv.mychat_assignment_log_ids.mapped("reason")
        self.assertTrue(any("SMS alert not sent" in r for r in reasons))
