from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestAvailability(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "Office 9-17 Mon-Fri",
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
                    for d in range(5)
                ],
            }
        )
        cls.ann, cls.ben = cls.make_agents(cls.team, ["Ann", "Ben"], mychat_calendar_id=cls.office.id)
        cls.ann.tz = cls.ben.tz = "Asia/Jerusalem"

    def test_offline_and_busy_agents_are_skipped(self):
        with freeze_time("2026-06-01 08:00:00"):  # Monday 11:00 in Jerusalem
            self.ann.mychat_set_availability("offline")
            conv = self.incoming()
            self.assertEqual(conv.user_id, self.ben)
            self.assertIn("Ann: offline", self.last_log(conv).skipped)
            self.ben.with_user(self.ben).mychat_set_availability("busy")
            conv = self.incoming()
            self.assertFalse(conv.user_id)
            self.assertEqual(self.last_log(conv).skipped, "Ann: offline\nBen: busy")

    def test_outside_working_hours(self):
        with freeze_time("2026-06-01 15:30:00"):  # Monday 18:30 in Jerusalem: closed
            conv = self.incoming()
            self.assertFalse(conv.user_id)
            self.assertTrue(conv.mychat_queued_since)
            self.assertIn("Ann: outside working hours", self.last_log(conv).skipped)
        with freeze_time("2026-06-02 06:05:00"):  # Tuesday 09:05: the cron drains the queue
            self.env["mychat.conversation"]._cron_mychat_routing()
            self.assertTrue(conv.user_id)
            self.assertEqual(self.last_log(conv).kind, "queue")
        with freeze_time("2026-06-02 06:05:00"):
            self.team.mychat_use_working_hours = False
            self.assertEqual(
                self.env["res.users"]
                .browse(self.ann.id)
                ._mychat_availability(team=self.team)[self.ann.id][0],
                False,
            )

    def test_leave_of_the_agent_resource(self):
        resource = self.env["resource.resource"].create(
            {"name": "Ann", "user_id": self.ann.id, "calendar_id": self.office.id}
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Vacation",
                "resource_id": resource.id,
                "date_from": datetime(2026, 6, 1, 0, 0),
                "date_to": datetime(2026, 6, 5, 23, 0),
            }
        )
        with freeze_time("2026-06-02 08:00:00"):
            convs = [self.incoming() for _ in range(2)]
            self.assertEqual({c.user_id for c in convs}, {self.ben})
            self.assertIn("Ann: on leave", self.last_log(convs[0]).skipped)
        with freeze_time("2026-06-08 08:00:00"):  # back
            self.assertEqual(self.incoming().user_id, self.ann)

    def test_public_holiday_of_the_calendar(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.office.id,
                "date_from": datetime(2026, 6, 3),
                "date_to": datetime(2026, 6, 3, 23),
            }
        )
        with freeze_time("2026-06-03 08:00:00"):
            conv = self.incoming()
            self.assertFalse(conv.user_id)
            self.assertIn("Ben: on leave", self.last_log(conv).skipped)

    def test_online_presence_when_the_team_requires_it(self):
        self.team.mychat_require_online = True
        self.env["mail.presence"].create({"user_id": self.ben.id, "status": "online"})
        with freeze_time("2026-06-01 08:00:00"):
            conv = self.incoming()
            self.assertEqual(conv.user_id, self.ben)
            self.assertIn("Ann: not connected", self.last_log(conv).skipped)

    def test_agent_switches_own_status_only(self):
        self.ann.with_user(self.ann).mychat_set_availability("busy")
        self.assertEqual(self.ann.mychat_availability, "busy")
        with self.assertRaises(AccessError):
            self.ben.with_user(self.ann).mychat_set_availability("offline")
        state = self.env["res.users"].with_user(self.ann).mychat_get_availability()
        self.assertEqual(state["availability"], "busy")
        # the member form exposes the same switch to managers
        member = self.team.crm_team_member_ids.filtered(lambda m: m.user_id == self.ben)
        with Form(member) as form:
            form.mychat_availability = "offline"
            form.mychat_max_open = 4
        self.assertEqual((self.ben.mychat_availability, member.mychat_max_open), ("offline", 4))
