from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage


@tagged("post_install", "-at_install")
class TestAgentDayTour(HttpCase):
    """The agent's inbox and systray in the browser, in English and in Hebrew (right to left)."""

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.admin.write({"mychat_availability": "available", "tz": "UTC"})
        # an office that is closed today: it opens at 09:00 on another weekday only
        tomorrow = (datetime.now().weekday() + 1) % 7
        self.calendar = self.env["resource.calendar"].create(
            {
                "name": "Closed today",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    Command.create(
                        {"name": "Open", "dayofweek": str(tomorrow), "hour_from": 9, "hour_to": 17}
                    )
                ],
            }
        )
        self.team = self.env["crm.team"].create({"name": "Morning team", "mychat_strategy": "least_busy"})
        self.env["crm.team.member"].create(
            {"crm_team_id": self.team.id, "user_id": self.admin.id, "mychat_calendar_id": self.calendar.id}
        )
        # the other teams' members do not answer for this one
        self.env["crm.team.member"].search(
            [("user_id", "=", self.admin.id), ("crm_team_id", "!=", self.team.id)]
        ).unlink()
        channel = self.env["mychat.channel"].create(
            {
                "name": "WA morning",
                "channel_type": "whatsapp",
                "team_id": self.team.id,
                "api_base_url": "http://127.0.0.1:9",
            }
        )
        self.env["mychat.contact"].create(
            {"channel_id": channel.id, "external_id": "972500000777", "name": "Queued Customer"}
        )
        self.conv = (
            self.env["mychat.conversation"]
            ._mychat_ingest(
                channel,
                InboundMessage(
                    external_id="wamid.tour.1",
                    contact=InboundContact(external_id="972500000777"),
                    date=datetime.now(),
                    body="Good morning?",
                ),
            )
            .conversation_id
        )
        self.assertTrue(self.conv.mychat_queued_since, "nobody works today: the conversation waits")
        # only this conversation is queued
        self.env["mychat.conversation"].search(
            [("id", "!=", self.conv.id), ("mychat_queued_since", "!=", False)]
        ).write({"mychat_queued_since": False})

    def test_agent_day_english(self):
        self.start_tour("/odoo", "live_routing_agent_day_tour", login="admin")
        self.assertEqual(self.conv.user_id, self.admin)
        self.assertFalse(self.conv.mychat_queued_since)

    def test_agent_day_hebrew(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.admin.lang = "he_IL"
        self.start_tour("/odoo", "live_routing_agent_day_tour", login="admin")
        self.assertEqual(self.conv.user_id, self.admin)
