import threading
from datetime import datetime

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

CAPACITY = 2
PER_TEAM = 4


@tagged("post_install", "-at_install")
class TestCapacityAcrossTeams(TransactionCase):
    """One agent in two teams: conversations arriving at once in both never exceed the agent's capacity."""

    def setUp(self):
        super().setUp()
        self.stamp = datetime.now().strftime("%H%M%S%f")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True})
            calendar = env["resource.calendar"].create(
                {"name": f"Always {self.stamp}", "flexible_hours": True}
            )
            agent = env["res.users"].create(
                {
                    "name": "Two-team agent",
                    "login": f"twoteams.{self.stamp}",
                    "group_ids": [Command.link(env.ref("sales_team.group_sale_salesman").id)],
                }
            )
            teams = env["crm.team"].create(
                [{"name": f"Team {i} {self.stamp}", "mychat_strategy": "least_busy"} for i in range(2)]
            )
            env["crm.team.member"].create(
                [
                    {
                        "crm_team_id": team.id,
                        "user_id": agent.id,
                        "mychat_max_open": CAPACITY,
                        "mychat_calendar_id": calendar.id,
                    }
                    for team in teams
                ]
            )
            channels = env["mychat.channel"].create(
                [{"name": f"Channel {i} {self.stamp}", "team_id": team.id} for i, team in enumerate(teams)]
            )
            self.ids_ = {
                "calendar": calendar.id,
                "teams": teams.ids,
                "agent": agent.id,
                "channels": channels.ids,
            }
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            convs = env["mychat.conversation"].search([("channel_id", "in", self.ids_["channels"])])
            env["mychat.message"].search([("conversation_id", "in", convs.ids)]).unlink()
            convs.unlink()
            env["mychat.contact"].search([("channel_id", "in", self.ids_["channels"])]).unlink()
            env["mychat.channel"].browse(self.ids_["channels"]).unlink()
            env["crm.team"].browse(self.ids_["teams"]).unlink()
            agent = env["res.users"].browse(self.ids_["agent"])
            partner = agent.partner_id
            agent.unlink()
            partner.unlink()
            env["resource.calendar"].browse(self.ids_["calendar"]).unlink()

    def arrive(self, index, barrier, errors):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                channel = env["mychat.channel"].browse(self.ids_["channels"][index % 2])
                cr.execute("SELECT 1")  # the snapshot starts before the others commit
                barrier.wait(timeout=60)
                env["mychat.conversation"]._mychat_ingest(
                    channel,
                    InboundMessage(
                        external_id=f"twoteams.{self.stamp}.{index}",
                        contact=InboundContact(external_id=f"97251{index:07d}", name=f"Customer {index}"),
                        date=datetime.now().replace(microsecond=0),
                        body="Hello?",
                    ),
                )
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    def test_agent_in_two_teams_keeps_capacity(self):
        arrivals = 2 * PER_TEAM
        barrier, errors = threading.Barrier(arrivals), []
        threads = [threading.Thread(target=self.arrive, args=(i, barrier, errors)) for i in range(arrivals)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            convs = env["mychat.conversation"].search([("channel_id", "in", self.ids_["channels"])])
            self.assertEqual(len(convs), arrivals)
            mine = convs.filtered(lambda c: c.user_id.id == self.ids_["agent"])
            self.assertLessEqual(len(mine), CAPACITY, "never above the agent's capacity, whatever the team")
            self.assertTrue(all(c.user_id or c.mychat_queued_since for c in convs))
            env["mychat.conversation"]._cron_mychat_routing()
            mine = convs.filtered(lambda c: c.user_id.id == self.ids_["agent"])
            self.assertEqual(len(mine), CAPACITY, "the queue fills the agent up to capacity, not beyond")
            cr.commit()  # pylint: disable=invalid-commit
