from unittest.mock import patch

from odoo.tests import tagged

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestCapacityQueue(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.mychat_strategy = "least_busy"
        cls.ann, cls.ben = cls.make_agents(
            cls.team, ["Ann", "Ben"], mychat_max_open=2, mychat_calendar_id=cls.always.id
        )

    def test_capacity_then_queue_oldest_first_then_drain_on_resolve(self):
        convs = [self.incoming() for _ in range(6)]
        assigned, queued = convs[:4], convs[4:]
        self.assertEqual(self.distribution(assigned), {"Ann": 2, "Ben": 2})
        self.assertEqual([c.user_id for c in queued], [self.env["res.users"]] * 2)
        self.assertEqual(queued[0].mychat_queue_position, 1)
        self.assertEqual(queued[1].mychat_queue_position, 2)
        self.assertEqual(self.team.mychat_queue_count, 2)
        self.assertIn("Ann: at capacity (2/2)", self.last_log(queued[0]).skipped)
        self.assertEqual(self.last_log(queued[0]).outcome, "queued")
        # resolving frees a seat: the oldest queued conversation takes it at once
        freed = assigned[0].user_id
        assigned[0].action_resolve()
        self.assertEqual(queued[0].user_id, freed)
        self.assertFalse(queued[0].mychat_queued_since)
        self.assertFalse(queued[1].user_id)
        self.assertEqual(self.last_log(queued[0]).kind, "queue")
        # writing state over RPC has the same effect; snoozing frees capacity too
        assigned[1].write({"state": "snoozed"})
        self.assertTrue(queued[1].user_id)

    def test_drain_when_an_agent_becomes_available(self):
        (self.ann | self.ben).mychat_availability = "offline"
        convs = [self.incoming() for _ in range(3)]
        self.assertFalse(any(c.user_id for c in convs))
        self.ann.with_user(self.ann).mychat_set_availability("available")
        self.assertEqual([c.user_id for c in convs[:2]], [self.ann, self.ann])
        self.assertFalse(convs[2].user_id)

    def test_drain_computes_availability_once_and_keeps_capacity(self):
        """A drain reads the agents' availability once and counts its own assignments: capacity holds
        across the queued conversations it assigns."""
        (self.ann | self.ben).mychat_availability = "offline"
        convs = [self.incoming() for _ in range(5)]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_users SET mychat_availability = 'available' WHERE id IN %s",
            [(self.ann.id, self.ben.id)],
        )
        (self.ann | self.ben).invalidate_recordset(["mychat_availability"])
        Users = type(self.env["res.users"])
        original, calls = Users._mychat_availability, []

        def counting(users, *args, **kwargs):
            calls.append(set(users.ids))
            return original(users, *args, **kwargs)

        with patch.object(Users, "_mychat_availability", counting):
            self.team._mychat_drain_queue()
        self.assertEqual(calls, [{self.ann.id, self.ben.id}], "one availability pass for the whole drain")
        self.assertEqual(self.distribution(convs[:4]), {"Ann": 2, "Ben": 2})
        self.assertFalse(convs[4].user_id, "both agents at capacity: the fifth stays queued")
        self.assertIn("at capacity (2/2)", self.last_log(convs[4]).skipped)

    def test_cron_drains_and_unlimited_capacity(self):
        (self.ann | self.ben).mychat_availability = "offline"
        convs = [self.incoming() for _ in range(5)]
        self.team.crm_team_member_ids.mychat_max_open = 0
        self.env.flush_all()  # flip the status behind the ORM's back: only the cron can notice it
        self.env.cr.execute(
            "UPDATE res_users SET mychat_availability = 'available' WHERE id = %s", [self.ben.id]
        )
        self.ben.invalidate_recordset(["mychat_availability"])
        self.env["mychat.conversation"]._cron_mychat_routing()
        self.assertEqual(self.distribution(convs), {"Ben": 5})

    def test_manual_assignment_leaves_the_queue_and_is_logged(self):
        (self.ann | self.ben).mychat_availability = "offline"
        conv = self.incoming()
        conv.user_id = self.ann
        self.assertFalse(conv.mychat_queued_since)
        log = self.last_log(conv)
        self.assertEqual((log.kind, log.user_id), ("manual", self.ann))
