from odoo.tests import tagged

from .common import RoutingCase

# Queries of one routing decision, whatever the number of agents: rule lookup, lock, owner lookup, the
# agents' routing facts in one statement (res.users._mychat_availability_rows) and the team's members in
# another, the assignment, turn counter, log line and notice; since the Discuss thread: the agent joins the
# conversation's channel and the change is tracked in the chatter; the agent row lock (savepoint, UPDATE,
# release). 44 before the facts were one statement.
ROUTING_QUERIES = 38


@tagged("post_install", "-at_install")
class TestRoutingQueryCount(RoutingCase):
    def team_with(self, size):
        team = self.env["crm.team"].create({"name": f"{size} agents", "mychat_strategy": "least_busy"})
        self.make_agents(
            team,
            [f"Agent {size}-{i}" for i in range(size)],
            mychat_max_open=5,
            mychat_calendar_id=self.always.id,
        )
        channel = self.env["mychat.channel"].create(
            {"name": f"WA {size}", "channel_type": "whatsapp", "team_id": team.id}
        )
        for _ in range(3):  # some load, so counts and turns are not all empty
            self.incoming(channel=channel)
        return channel

    def decide(self, channel):
        conv = self.incoming(channel=channel).with_context(mychat_routing=True)
        conv.write({"user_id": False, "mychat_routing_pending": True})
        conv.invalidate_model()
        self.env.flush_all()
        return conv

    def test_one_decision_does_not_grow_with_agents(self):
        for size in (5, 50):
            conv = self.decide(self.team_with(size))
            with self.assertQueryCount(ROUTING_QUERIES):
                conv._mychat_route()
            self.assertTrue(conv.user_id)
            self.assertEqual(self.last_log(conv).kind, "rule")
