from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

from .common import RoutingCase


@tagged("post_install", "-at_install")
class TestEscalation(RoutingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write(
            {
                "mychat_strategy": "tiered",
                "mychat_tier_order": "junior_first",
                "mychat_escalation_minutes": 10,
            }
        )
        cls.ann, cls.ben, cls.cat = cls.make_agents(
            cls.team, ["Ann", "Ben", "Cat"], mychat_seniority=[1, 2, 3], mychat_calendar_id=cls.always.id
        )
        cls.leader = cls.make_agents(cls.env["crm.team"].create({"name": "Leaders"}), ["Lea Leader"])
        cls.team.user_id = cls.leader

    def cron(self):
        self.env["mychat.conversation"]._cron_mychat_routing()

    def answer(self, conv):
        """The agent answers from the phone app: the provider echoes it (outbound, author agent)."""
        self.env["mychat.conversation"]._mychat_ingest(
            self.channel,
            InboundMessage(
                external_id=f"echo.{conv.id}",
                contact=InboundContact(external_id=conv.contact_id.external_id),
                date=fields.Datetime.now(),
                body="On it",
                direction="outbound",
                author_kind="agent",
            ),
        )

    def test_unanswered_goes_to_the_next_tier(self):
        with freeze_time("2026-06-01 10:00:00"):
            conv = self.incoming()
            self.assertEqual((conv.user_id, conv.mychat_tier), (self.ann, 1))
        with freeze_time("2026-06-01 10:09:00"):
            self.cron()
            self.assertEqual(conv.user_id, self.ann)
        with freeze_time("2026-06-01 10:10:30"):
            self.cron()
            self.assertEqual((conv.user_id, conv.mychat_tier), (self.ben, 2))
            log = self.last_log(conv)
            self.assertEqual((log.kind, log.previous_user_id), ("escalation", self.ann))
        with freeze_time("2026-06-01 10:21:00"):
            self.cron()
            self.assertEqual(conv.user_id, self.cat)
        with freeze_time("2026-06-01 10:32:00"):
            self.cron()
            self.assertEqual(conv.user_id, self.cat)
            self.assertEqual(self.last_log(conv).outcome, "kept")

    def test_answered_conversation_does_not_escalate(self):
        with freeze_time("2026-06-01 10:00:00"):
            conv = self.incoming()
            self.answer(conv)
            self.assertFalse(conv.awaiting_reply)
        with freeze_time("2026-06-01 10:30:00"):
            self.cron()
            self.assertEqual(conv.user_id, self.ann)

    def test_sla_breach_notifies_the_leader_and_is_counted(self):
        self.team.write(
            {"mychat_escalation_minutes": 0, "mychat_sla_minutes": 15, "mychat_sla_action": "notify"}
        )
        with freeze_time("2026-06-01 10:00:00"):
            conv = self.incoming()
            self.assertEqual(str(conv.mychat_sla_deadline), "2026-06-01 10:15:00")
        with freeze_time("2026-06-01 10:16:00"):
            self.cron()
            self.assertTrue(conv.mychat_sla_breached)
            self.assertEqual(conv.mychat_sla_breach_count, 1)
            self.assertEqual(self.team.mychat_sla_breach_count, 1)
            log = self.last_log(conv)
            self.assertEqual((log.kind, log.outcome, log.user_id), ("sla", "notified", self.leader))
            self.assertEqual(conv.user_id, self.ann)
            self.cron()  # counted once
            self.assertEqual(conv.mychat_sla_breach_count, 1)
            self.answer(conv)
            self.assertFalse(conv.mychat_sla_breached)
            self.assertEqual(conv.mychat_sla_breach_count, 1)

    def test_sla_breach_reassigns_when_the_team_says_so(self):
        self.team.write(
            {
                "mychat_escalation_minutes": 0,
                "mychat_sla_minutes": 5,
                "mychat_sla_action": "reassign",
                "mychat_strategy": "round_robin",
            }
        )
        with freeze_time("2026-06-01 10:00:00"):
            conv = self.incoming()
            first = conv.user_id
        with freeze_time("2026-06-01 10:06:00"):
            self.cron()
            self.assertNotEqual(conv.user_id, first)
            self.assertEqual((self.last_log(conv).kind, self.last_log(conv).previous_user_id), ("sla", first))
