from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..tools import strategies
from ..tools.strategies import Agent
from ..tools.working_hours import Slot, is_working


@tagged("post_install", "-at_install")
class TestStrategyFunctions(BaseCase):
    def test_round_robin_cycles_by_last_assignment(self):
        agents = {a.user_id: a for a in (Agent(1, order=0), Agent(2, order=1), Agent(3, order=2))}
        picked = []
        for minute in range(9):
            chosen = strategies.round_robin(agents.values())
            picked.append(chosen.user_id)
            agents[chosen.user_id] = Agent(chosen.user_id, last_turn=minute + 1, order=chosen.order)
        self.assertEqual(picked, [1, 2, 3] * 3)

    def test_least_busy_ties_go_to_longest_idle(self):
        agents = [
            Agent(1, open_count=2, last_turn=1),
            Agent(2, open_count=1, last_turn=7),
            Agent(3, open_count=1, last_turn=4),
        ]
        self.assertEqual(strategies.least_busy(agents).user_id, 3)
        self.assertIsNone(strategies.least_busy([]))

    def test_tiered_orders_and_escalation(self):
        agents = [Agent(1, seniority=1), Agent(2, seniority=2), Agent(3, seniority=3, open_count=5)]
        self.assertEqual(strategies.select("tiered", agents, "senior_first").user_id, 3)
        self.assertEqual(strategies.select("tiered", agents, "junior_first").user_id, 1)
        self.assertEqual(strategies.select("tiered", agents, "junior_first", after_tier=1).user_id, 2)
        self.assertEqual(strategies.select("tiered", agents, "senior_first", after_tier=3).user_id, 2)
        self.assertIsNone(strategies.select("tiered", agents, "junior_first", after_tier=3))

    def test_working_hours_slots(self):
        slots = [Slot(0, 8, 17), Slot(6, 8, 12, week_type=None)]
        self.assertTrue(is_working(slots, datetime(2026, 6, 1, 9, 30)))  # Monday
        self.assertFalse(is_working(slots, datetime(2026, 6, 1, 17, 0)))
        self.assertFalse(is_working(slots, datetime(2026, 6, 2, 9, 0)))  # Tuesday
        self.assertTrue(is_working(slots, datetime(2026, 6, 7, 11, 59)))  # Sunday
