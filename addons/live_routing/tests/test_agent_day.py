from freezegun import freeze_time

from odoo.tests import tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestAgentDay(RoutingCase):
    """Routing explains itself where the agent looks: the systray's effective state, one log line per
    change of decision, and no conversation left waiting for a team that does not exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "Office Sun-Thu 9-17",
                "tz": "Asia/Jerusalem",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": str(d),
                            "dayofweek": str(d),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "full_day",
                        },
                    )
                    for d in (6, 0, 1, 2, 3)  # Sunday to Thursday
                ],
            }
        )
        cls.ann = cls.make_agents(cls.team, ["Ann"], mychat_calendar_id=cls.office.id, mychat_max_open=2)
        cls.ann.tz = "Asia/Jerusalem"

    def test_systray_says_outside_working_hours_until_next_opening(self):
        with freeze_time("2026-06-05 12:00:00"):  # Friday 15:00 in Jerusalem: closed until Sunday 09:00
            state = self.env["res.users"].with_user(self.ann).mychat_get_availability()
        self.assertEqual(state["availability"], "available")
        self.assertEqual(state["reason"], "hours")
        self.assertEqual(state["reason_label"], "outside working hours until Sun 09:00")

    def test_systray_says_at_capacity(self):
        with freeze_time("2026-06-01 08:00:00"):  # Monday 11:00: open
            self.incoming()
            self.incoming()
            state = self.env["res.users"].with_user(self.ann).mychat_get_availability()
        self.assertEqual((state["open"], state["capacity"]), (2, 2))
        self.assertEqual(state["reason_label"], "at capacity 2/2")
        with freeze_time("2026-06-01 08:00:00"):
            self.ann.mychat_set_availability("busy")
            state = self.env["res.users"].with_user(self.ann).mychat_get_availability()
        self.assertEqual(state["availability"], "busy")

    def test_queued_conversation_logs_once_over_ten_cron_runs(self):
        with freeze_time("2026-06-05 12:00:00"):  # closed: the conversation waits in the queue
            conv = self.incoming()
            self.assertTrue(conv.mychat_queued_since)
            for _run in range(10):
                self.env["mychat.conversation"]._cron_mychat_routing()
        logs = conv.mychat_assignment_log_ids
        self.assertEqual(len(logs), 1, logs.mapped("reason"))
        self.assertEqual(logs.outcome, "queued")
        with freeze_time("2026-06-07 06:01:00"):  # Sunday 09:01: assigned, a new line says so
            self.env["mychat.conversation"]._cron_mychat_routing()
        self.assertEqual(conv.user_id, self.ann)
        self.assertEqual(len(conv.mychat_assignment_log_ids), 2)
        self.assertEqual(self.last_log(conv).outcome, "assigned")

    def test_channel_without_team_routes_to_company_default_team(self):
        support = self.env["crm.team"].create({"name": "Default support", "mychat_strategy": "least_busy"})
        (bob,) = self.make_agents(support, ["Bob"])
        self.env.company.mychat_default_team_id = support
        channel = self.env["mychat.channel"].create(
            {"name": "WA no team", "channel_type": "whatsapp", "api_base_url": "http://127.0.0.1:9"}
        )
        self.assertFalse(channel.team_id)
        conv = self.incoming(channel=channel)
        self.assertEqual(conv.team_id, support)
        self.assertEqual(conv.user_id, bob)
        self.assertFalse(conv.mychat_queued_since)

    def test_channel_without_team_falls_back_to_first_sales_team(self):
        self.env.company.mychat_default_team_id = False
        first = self.env["crm.team"].search([("company_id", "in", (self.env.company.id, False))], limit=1)
        self.assertEqual(self.env.company._mychat_default_team(), first)
