import threading
from datetime import datetime

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

ARRIVALS = 20
AGENTS = 4
CAPACITY = 3


@tagged("post_install", "-at_install")
class TestConcurrentArrivals(TransactionCase):
    """20 conversations arrive at once, each in its own committed transaction: nobody over capacity."""

    def setUp(self):
        super().setUp()
        self.stamp = datetime.now().strftime("%H%M%S%f")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True})
            calendar = env["resource.calendar"].create(
                {"name": f"Always {self.stamp}", "flexible_hours": True}
            )
            team = env["crm.team"].create({"name": f"Rush {self.stamp}", "mychat_strategy": "least_busy"})
            users = env["res.users"].create(
                [
                    {
                        "name": f"Rush agent {i}",
                        "login": f"rush.{self.stamp}.{i}",
                        "group_ids": [Command.link(env.ref("sales_team.group_sale_salesman").id)],
                    }
                    for i in range(AGENTS)
                ]
            )
            env["crm.team.member"].create(
                [
                    {
                        "crm_team_id": team.id,
                        "user_id": u.id,
                        "mychat_max_open": CAPACITY,
                        "mychat_calendar_id": calendar.id,
                    }
                    for u in users
                ]
            )
            channel = env["mychat.channel"].create({"name": f"Rush {self.stamp}", "team_id": team.id})
            self.ids_ = {"calendar": calendar.id, "team": team.id, "users": users.ids, "channel": channel.id}
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            convs = env["mychat.conversation"].search([("channel_id", "=", self.ids_["channel"])])
            convs.mychat_message_ids.unlink()
            convs.unlink()
            env["mychat.contact"].search([("channel_id", "=", self.ids_["channel"])]).unlink()
            env["mychat.channel"].browse(self.ids_["channel"]).unlink()
            env["crm.team"].browse(self.ids_["team"]).unlink()
            users = env["res.users"].browse(self.ids_["users"])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            env["resource.calendar"].browse(self.ids_["calendar"]).unlink()

    def arrive(self, index, barrier, errors):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                channel = env["mychat.channel"].browse(self.ids_["channel"])
                cr.execute("SELECT 1")  # the snapshot of this transaction starts before the others commit
                barrier.wait(timeout=60)
                env["mychat.conversation"]._mychat_ingest(
                    channel,
                    InboundMessage(
                        external_id=f"rush.{self.stamp}.{index}",
                        contact=InboundContact(external_id=f"97250{index:07d}", name=f"Rush {index}"),
                        date=datetime.now().replace(microsecond=0),
                        body="Anybody there?",
                    ),
                )
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    def loads(self, env):
        groups = env["mychat.conversation"]._read_group(
            [
                ("channel_id", "=", self.ids_["channel"]),
                ("state", "in", ("new", "open", "pending")),
                ("user_id", "!=", False),
            ],
            ["user_id"],
            ["__count"],
        )
        return {user.id: count for user, count in groups}

    def test_twenty_at_once(self):
        barrier, errors = threading.Barrier(ARRIVALS), []
        threads = [threading.Thread(target=self.arrive, args=(i, barrier, errors)) for i in range(ARRIVALS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            convs = env["mychat.conversation"].search([("channel_id", "=", self.ids_["channel"])])
            self.assertEqual(len(convs), ARRIVALS)
            self.assertLessEqual(max(self.loads(env).values(), default=0), CAPACITY)
            self.assertTrue(all(c.user_id or c.mychat_queued_since for c in convs))
            self.assertTrue(all(c.mychat_assignment_log_ids for c in convs))
            # the transactions that lost the race queued their conversation instead of over-assigning
            reasons = convs.mychat_assignment_log_ids.mapped("reason")
            self.assertTrue(any("Another decision was being made" in r for r in reasons))
            # the queue is drained by the cron to exactly the capacity, still nobody above it
            env["mychat.conversation"]._cron_mychat_routing()
            loads = self.loads(env)
            self.assertEqual(sorted(loads.values()), [CAPACITY] * AGENTS)
            queued = convs.filtered(lambda c: not c.user_id)
            self.assertEqual(len(queued), ARRIVALS - AGENTS * CAPACITY)
            self.assertTrue(all(queued.mapped("mychat_queued_since")))
            cr.commit()  # pylint: disable=invalid-commit
