"""Stored measures of conversations fed through the Telegram webhook with controlled provider timestamps,
and the report figures they give."""

import json
from datetime import datetime
from itertools import count

from odoo import Command
from odoo.tests import freeze_time, tagged

from odoo.addons.mychat_omnichannel.tests.common import MychatHttpCase
from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

TOKEN = "123456:TEST-bot-token"
SECRET = "tg-secret_token-1"
_ids = count(1000)

# 2026-11-27 is a Friday; the team opens Monday to Friday 09:00-17:00 UTC
FRI_1630 = datetime(2026, 11, 27, 16, 30)
FRI_1650 = datetime(2026, 11, 27, 16, 50)
SAT_1000 = datetime(2026, 11, 28, 10, 0)
MON_0915 = datetime(2026, 11, 30, 9, 15)
MON_0930 = datetime(2026, 11, 30, 9, 30)
MON_1000 = datetime(2026, 11, 30, 10, 0)


def epoch(dt):
    return int((dt - datetime(1970, 1, 1)).total_seconds())


class MeasuresCommon(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office Mon-Fri 9-17 UTC",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 9, "hour_to": 17}
                    )
                    for day in range(5)
                ],
            }
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Measured team",
                "mychat_strategy": "round_robin",
                "mychat_use_working_hours": False,
                "mychat_owner_first": False,
                "mychat_sla_minutes": 10,
                "mychat_calendar_id": cls.calendar.id,
            }
        )
        group = cls.env.ref("mychat_omnichannel.group_mychat_user")
        cls.agents = cls.env["res.users"].create(
            [
                {"name": name, "login": f"measure.{name.lower()}", "group_ids": [Command.link(group.id)]}
                for name in ("Ada", "Bob")
            ]
        )
        for agent in cls.agents:
            cls.env["crm.team.member"].create({"crm_team_id": cls.team.id, "user_id": agent.id})
        cls.ada, cls.bob = cls.agents
        cls.tg = cls.env["mychat.channel"].create(
            {
                "name": "Telegram measured",
                "channel_type": "telegram",
                "secret": SECRET,
                "access_token": TOKEN,
                "external_account_id": "123456",
                "api_base_url": cls.fake.url,
                "team_id": cls.team.id,
            }
        )

    def setUp(self):
        super().setUp()
        answers = [(200, {"ok": True, "result": {"message_id": next(_ids)}}) for _n in range(20)]
        self.fake.route("POST", f"^/bot{TOKEN}/sendMessage$", *answers)

    def customer_writes(self, chat_id, when, text="Hello"):
        """A Telegram update through the signed webhook; returns the conversation."""
        update = {
            "update_id": next(_ids),
            "message": {
                "message_id": next(_ids),
                "from": {
                    "id": chat_id,
                    "is_bot": False,
                    "first_name": f"Client{chat_id}",
                    "language_code": "en",
                },
                "chat": {"id": chat_id, "first_name": f"Client{chat_id}", "type": "private"},
                "date": epoch(when),
                "text": text,
            },
        }
        response = self.url_open(
            self.webhook_url(self.tg),
            data=json.dumps(update).encode(),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        self.assertEqual(response.status_code, 200)
        self.process()
        return self.env["mychat.conversation"].search(
            [("channel_id", "=", self.tg.id), ("contact_id.external_id", "=", str(chat_id))],
            order="id desc",
            limit=1,
        )

    def agent_replies(self, conv, agent, when, body="On it"):
        with freeze_time(when):
            conv.with_user(agent).send_reply(body)
            self.env["mychat.message"]._cron_send_queued()

    def bot_replies(self, conv, when, body="I am the bot"):
        item = InboundMessage(
            external_id=f"bot.{next(_ids)}",
            contact=InboundContact(external_id=conv.contact_id.external_id),
            date=when,
            body=body,
            direction="outbound",
            author_kind="bot",
        )
        self.env["mychat.conversation"]._mychat_ingest(self.tg, item)

    def resolve(self, conv, when):
        with freeze_time(when):
            conv.action_resolve()


@tagged("post_install", "-at_install")
class TestMeasures(MeasuresCommon):
    def test_weekend_wait_in_working_hours(self):
        """Friday 16:30 question, answered 16:50, resolved Monday 09:30: 65 hours on the clock, one hour of
        the team's opening hours."""
        conv = self.customer_writes(501, FRI_1630)
        self.assertEqual(conv.first_inbound_date, FRI_1630, "the provider's timestamp, not the arrival time")
        self.assertTrue(conv.user_id, "routed to an agent")
        self.assertEqual(conv.inbound_count, 1)
        self.assertFalse(conv.first_response_date)
        self.agent_replies(conv, conv.user_id, FRI_1650)
        self.assertEqual(conv.first_response_date, FRI_1650)
        self.assertEqual(conv.first_response_seconds, 20 * 60)
        self.assertEqual(conv.first_response_working_seconds, 20 * 60)
        self.assertTrue(conv.sla_breached, "20 minutes against a 10-minute SLA")
        self.assertEqual(conv.handled_by, "human")
        self.customer_writes(501, datetime(2026, 11, 27, 17, 5), "Thanks, and one more thing")
        self.agent_replies(conv, conv.user_id, MON_0915, "Here it is")
        self.assertEqual(conv.first_response_date, FRI_1650, "only the first answer counts")
        self.assertEqual((conv.inbound_count, conv.outbound_count), (2, 2))
        self.resolve(conv, MON_0930)
        self.assertEqual(conv.resolved_date, MON_0930)
        self.assertEqual(conv.resolution_seconds, (2 * 24 + 17) * 3600)
        self.assertEqual(conv.resolution_working_seconds, 3600, "30 minutes on Friday, 30 on Monday")

    def test_saturday_question_answered_monday(self):
        conv = self.customer_writes(502, SAT_1000)
        self.agent_replies(conv, conv.user_id, MON_0915)
        self.assertEqual(conv.first_response_seconds, (47 * 60 + 15) * 60)
        self.assertEqual(conv.first_response_working_seconds, 15 * 60, "closed all weekend")

    def test_company_calendar_when_the_team_has_none(self):
        self.team.mychat_calendar_id = False
        self.env.company.resource_calendar_id = self.calendar
        conv = self.customer_writes(503, SAT_1000)
        self.agent_replies(conv, conv.user_id, MON_0915)
        self.assertEqual(conv.first_response_working_seconds, 15 * 60)

    def test_reassignments_and_on_time_answer(self):
        conv = self.customer_writes(504, MON_0915)
        first = conv.user_id
        other = self.agents - first
        self.assertEqual(conv.reassignment_count, 0, "the first assignment is no reassignment")
        conv.user_id = other
        conv.user_id = first
        self.assertEqual(conv.reassignment_count, 2)
        self.agent_replies(conv, first, datetime(2026, 11, 30, 9, 20))
        self.assertEqual(conv.first_response_seconds, 300)
        self.assertFalse(conv.sla_breached)

    def test_bot_then_human(self):
        conv = self.customer_writes(505, MON_0915)
        conv.is_chatbot = True
        self.bot_replies(conv, datetime(2026, 11, 30, 9, 15, 5))
        self.assertEqual(conv.handled_by, "bot")
        self.assertEqual(conv.first_response_seconds, 5, "a bot answer is a first response")
        self.agent_replies(conv, self.ada, MON_0930)
        self.assertEqual(conv.handled_by, "bot_and_human")

    def test_bot_alone_resolved(self):
        conv = self.customer_writes(506, MON_0915)
        conv.is_chatbot = True
        self.bot_replies(conv, datetime(2026, 11, 30, 9, 16))
        self.resolve(conv, MON_0930)
        self.assertEqual(conv.handled_by, "bot")
        self.assertEqual(conv.resolution_seconds, 15 * 60)

    def test_unanswered_resolution_breaches_and_sets_handled_by(self):
        conv = self.customer_writes(507, MON_0915)
        self.resolve(conv, MON_1000)
        self.assertTrue(conv.sla_breached, "never answered, resolved after the SLA")
        self.assertEqual(conv.handled_by, "human")
        self.assertEqual(conv.resolution_seconds, 45 * 60)

    def test_backfill_matches_live_measures(self):
        conv = self.customer_writes(508, FRI_1630)
        self.agent_replies(conv, conv.user_id, FRI_1650)
        self.resolve(conv, MON_0930)
        live = conv.read(
            [
                "first_response_seconds",
                "first_response_working_seconds",
                "resolution_seconds",
                "resolution_working_seconds",
                "handled_by",
                "inbound_count",
                "outbound_count",
                "sla_breached",
            ]
        )[0]
        conv.sudo().with_context(mychat_measures=True).write(
            {"first_response_seconds": 0, "resolution_seconds": 0, "handled_by": False, "inbound_count": 0}
        )
        self.env["mychat.conversation"]._mychat_backfill_measures(conv)
        self.assertEqual(conv.read(list(live))[0], live)


@tagged("post_install", "-at_install")
class TestConversationReport(MeasuresCommon):
    """A known data set and the figures the report gives for it."""

    def test_report_figures(self):
        # 1: answered by Ada after 5 minutes, resolved after 1 hour
        c1 = self.customer_writes(601, MON_0915)
        c1.user_id = self.ada
        self.agent_replies(c1, self.ada, datetime(2026, 11, 30, 9, 20))
        self.resolve(c1, datetime(2026, 11, 30, 10, 15))
        # 2: answered by Ada after 30 minutes (late), still open
        c2 = self.customer_writes(602, MON_0915)
        c2.user_id = self.ada
        self.agent_replies(c2, self.ada, datetime(2026, 11, 30, 9, 45))
        # 3: bot alone, answered after 1 minute, resolved after 3 hours
        c3 = self.customer_writes(603, MON_0915)
        c3.write({"is_chatbot": True, "user_id": False})
        self.bot_replies(c3, datetime(2026, 11, 30, 9, 16))
        self.resolve(c3, datetime(2026, 11, 30, 12, 15))
        # 4: bot then Bob (hand-off), first answer after 2 minutes
        c4 = self.customer_writes(604, MON_0915)
        c4.is_chatbot = True
        self.bot_replies(c4, datetime(2026, 11, 30, 9, 17))
        c4.user_id = self.bob
        self.agent_replies(c4, self.bob, datetime(2026, 11, 30, 9, 40))
        convs = c1 | c2 | c3 | c4
        Report = self.env["mychat.report.conversation"]
        domain = [("conversation_id", "in", convs.ids)]
        (
            (
                total,
                avg_first,
                median_first,
                avg_resolution,
                median_resolution,
                sla,
                contained,
                handoffs,
                msgs,
            ),
        ) = Report._read_group(
            domain,
            [],
            [
                "__count",
                "first_response_minutes:avg",
                "first_response_median_minutes:median",
                "resolution_hours:avg",
                "resolution_median_hours:median",
                "answered_in_sla:avg",
                "bot_contained:avg",
                "handoff_count:sum",
                "message_count:avg",
            ],
        )
        self.assertEqual(total, 4)
        self.assertAlmostEqual(avg_first, (5 + 30 + 1 + 2) / 4)
        self.assertAlmostEqual(median_first, 3.5)
        self.assertAlmostEqual(avg_resolution, 2.0, msg="resolved ones only: 1 h and 3 h")
        self.assertAlmostEqual(median_resolution, 2.0)
        self.assertAlmostEqual(sla, 75.0, msg="3 of 4 answered within 10 minutes")
        self.assertAlmostEqual(contained, 50.0, msg="of 2 bot conversations, 1 resolved without a human")
        self.assertEqual(handoffs, 1)
        self.assertAlmostEqual(msgs, (2 + 2 + 2 + 3) / 4)

        by_agent = dict(Report._read_group(domain, ["user_id"], ["first_response_median_minutes:median"]))
        self.assertAlmostEqual(by_agent[self.ada], 17.5)
        self.assertAlmostEqual(by_agent[self.bob], 2.0)
        by_handler = dict(Report._read_group(domain, ["handled_by"], ["__count"]))
        self.assertEqual(by_handler, {"human": 2, "bot": 1, "bot_and_human": 1})
        kinds = dict(Report._read_group(domain, ["customer_kind"], ["__count"]))
        self.assertEqual(kinds, {"new": 4})
        # the same figures through the web client's read_group, as the pivot view asks for them
        groups = Report.formatted_read_group(
            domain, ["channel_id"], ["first_response_median_minutes:median", "answered_in_sla:avg"]
        )
        self.assertAlmostEqual(groups[0]["first_response_median_minutes:median"], 3.5)

    def test_agent_report(self):
        c1 = self.customer_writes(701, MON_0915)
        c1.user_id = self.ada
        self.agent_replies(c1, self.ada, datetime(2026, 11, 30, 9, 25))
        c1.user_id = self.bob  # a transfer out of Ada's hands
        c2 = self.customer_writes(702, MON_0915)
        c2.user_id = self.ada
        self.agent_replies(c2, self.ada, datetime(2026, 11, 30, 9, 35))
        self.resolve(c2, MON_1000)
        with freeze_time(datetime(2026, 11, 30, 8, 0)):
            self.ada.with_user(self.ada).mychat_set_availability("busy")
        with freeze_time(datetime(2026, 11, 30, 9, 30)):
            self.ada.with_user(self.ada).mychat_set_availability("available")
        with freeze_time(datetime(2026, 11, 30, 12, 0)):
            self.ada.with_user(self.ada).mychat_set_availability("offline")
        logs = self.env["mychat.availability.log"].search([("user_id", "=", self.ada.id)], order="date_from")
        self.assertEqual(logs.mapped("availability"), ["busy", "available", "offline"])
        self.assertEqual(logs[0].date_to, datetime(2026, 11, 30, 9, 30))
        Report = self.env["mychat.report.agent"]
        domain = [("user_id", "=", self.ada.id)]
        ((handled, open_now, first, transfers, available, busy),) = Report._read_group(
            domain,
            [],
            [
                "conversation_count:sum",
                "open_count:sum",
                "first_response_minutes:avg",
                "transfer_out_count:sum",
                "available_hours:sum",
                "busy_hours:sum",
            ],
        )
        self.assertEqual((handled, open_now, transfers), (1, 0, 1))
        self.assertAlmostEqual(first, 20.0)
        self.assertAlmostEqual(available, 2.5)
        self.assertAlmostEqual(busy, 1.5)


@tagged("post_install", "-at_install")
class TestReportsOverRpc(MeasuresCommon):
    """What a manager's XML-RPC client reads: the measures on the conversation and the report's figures;
    an agent gets no report."""

    def test_manager_reads_measures_and_report(self):
        conv = self.customer_writes(801, FRI_1630)
        self.agent_replies(conv, conv.user_id, FRI_1650)
        self.resolve(conv, MON_0930)
        manager = self.env["res.users"].create(
            {
                "name": "Report Manager",
                "login": "report.manager",
                "password": "report.manager.pw",
                "group_ids": [Command.link(self.env.ref("mychat_omnichannel.group_mychat_manager").id)],
            }
        )
        self.ada.password = "ada.agent.pw"
        self.env.flush_all()
        db = self.env.cr.dbname
        call = self.xmlrpc_object.execute_kw
        (read,) = call(
            db,
            manager.id,
            "report.manager.pw",
            "mychat.conversation",
            "read",
            [[conv.id]],
            {
                "fields": [
                    "first_response_seconds",
                    "resolution_working_seconds",
                    "handled_by",
                    "sla_breached",
                ]
            },
        )
        self.assertEqual(
            (
                read["first_response_seconds"],
                read["resolution_working_seconds"],
                read["handled_by"],
                read["sla_breached"],
            ),
            (1200, 3600, "human", True),
        )
        (group,) = call(
            db,
            manager.id,
            "report.manager.pw",
            "mychat.report.conversation",
            "formatted_read_group",
            [[("conversation_id", "=", conv.id)], [], ["__count", "resolution_working_hours:avg"]],
        )
        self.assertEqual(group["__count"], 1)
        self.assertAlmostEqual(group["resolution_working_hours:avg"], 1.0)
        with self.assertRaises(Exception) as caught:
            call(db, self.ada.id, "ada.agent.pw", "mychat.report.conversation", "search", [[]])
        self.assertIn("You are not allowed to access", str(caught.exception))
