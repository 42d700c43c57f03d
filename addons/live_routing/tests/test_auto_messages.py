from datetime import timedelta
from itertools import count
from urllib.parse import parse_qs

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.mychat_omnichannel.tests import whatsapp_payloads as wa
from odoo.addons.mychat_omnichannel.tests.common import MychatCase, MychatHttpCase
from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

WA_MESSAGES = r"^/v23\.0/106540352242922/messages$"
TG_TOKEN = "123456:TEST-bot-token"
SMS_SID = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
_ids = count(1)

GREETING = "Hello! Thanks for writing."
AWAY = "We are closed. We are back at {next_opening}."
QUEUE = "All our agents are busy: you are number {position} in the queue."
# 2026-06-05 is a Friday; the team works Sunday to Thursday, 09:00-17:00 in Jerusalem (UTC+3 in June)
FRIDAY_NOON = "2026-06-05 09:00:00"
MONDAY_ELEVEN = "2026-06-01 08:00:00"


@tagged("post_install", "-at_install")
class TestAutomaticMessages(MychatCase):
    """Greeting, away and queue messages on WhatsApp, Telegram and SMS: sent through the normal sending path
    to the (fake) provider, stored as author_kind = system, once per conversation, never outside the
    WhatsApp window."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        always = cls.env["resource.calendar"].create({"name": "Always", "tz": "UTC", "flexible_hours": True})
        cls.env.company.resource_calendar_id = always
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "Sunday-Thursday",
                "tz": "Asia/Jerusalem",
                "attendance_ids": [
                    Command.create(
                        {"name": f"Day {day}", "dayofweek": str(day), "hour_from": 9, "hour_to": 17}
                    )
                    for day in (6, 0, 1, 2, 3)
                ],
            }
        )
        cls.team = cls.env["crm.team"].create({"name": "Front desk", "mychat_calendar_id": cls.office.id})
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Agent Ann",
                "login": "front.ann",
                "tz": "UTC",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.member = cls.env["crm.team.member"].create(
            {"crm_team_id": cls.team.id, "user_id": cls.agent.id, "mychat_calendar_id": always.id}
        )
        texts = {"greeting_message": GREETING, "away_message": AWAY, "queue_message": QUEUE}
        cls.channel.write({"team_id": cls.team.id, **texts})
        cls.tg = cls.env["mychat.channel"].create(
            {
                "name": "Telegram front",
                "channel_type": "telegram",
                "access_token": TG_TOKEN,
                "secret": "tg-secret",
                "api_base_url": cls.fake.url,
                "team_id": cls.team.id,
                **texts,
            }
        )
        cls.sms = cls.env["mychat.channel"].create(
            {
                "name": "SMS front",
                "channel_type": "sms",
                "secret": "sms-token",
                "sms_account_sid": SMS_SID,
                "external_account_id": "+14155550000",
                "api_base_url": f"{cls.fake.url}/2010-04-01",
                "team_id": cls.team.id,
                **texts,
            }
        )

    def setUp(self):
        super().setUp()
        # one answer per send (each provider message id is unique per channel)
        self.fake.route(
            "POST", WA_MESSAGES, *[(200, {"messages": [{"id": f"wamid.out{next(_ids)}"}]}) for _i in range(9)]
        )
        self.fake.route(
            "POST",
            rf"^/bot{TG_TOKEN}/sendMessage$",
            *[(200, {"ok": True, "result": {"message_id": next(_ids)}}) for _i in range(9)],
        )
        self.fake.route(
            "POST",
            rf"^/2010-04-01/Accounts/{SMS_SID}/Messages\.json$",
            *[(201, {"sid": f"SM{next(_ids)}", "status": "queued"}) for _i in range(9)],
        )

    def incoming(self, channel=None, sender="972541234567", body="Hello", date=None):
        channel = channel or self.channel
        item = InboundMessage(
            external_id=f"in.{next(_ids)}",
            contact=InboundContact(external_id=sender, phone=sender if channel.channel_type == "sms" else ""),
            date=date or fields.Datetime.now(),
            body=body,
        )
        message = self.env["mychat.conversation"]._mychat_ingest(channel, item)
        self.env["mychat.message"]._cron_send_queued()
        return message.conversation_id

    def system_messages(self, conv):
        return self.env["mychat.message"].search(
            [("conversation_id", "=", conv.id), ("author_kind", "=", "system")], order="id"
        )

    def sent_texts(self, path):
        texts = []
        for call in self.fake.calls("POST", path):
            data = call["json"] or {}
            if isinstance(data.get("text"), dict):
                texts.append(data["text"].get("body"))
            elif data:
                texts.append(data.get("text"))
            else:
                texts.append(parse_qs(call["body"].decode()).get("Body", [""])[0])
        return texts

    # ------------------------------------------------------------------

    def test_whatsapp_greeting_once_inside_the_window(self):
        with freeze_time(MONDAY_ELEVEN):
            conv = self.incoming(body="Hi")
            self.incoming(body="Are you there?")
            self.assertEqual(conv.user_id, self.agent, "open and someone available: no away, no queue")
            system = self.system_messages(conv)
            self.assertEqual(system.mapped("body"), [GREETING], "one greeting, nothing else")
            self.assertEqual((system.direction, system.state), ("outbound", "sent"))
            self.assertEqual(self.sent_texts(WA_MESSAGES), [GREETING], "sent to WhatsApp once")
            self.assertTrue(conv.awaiting_reply, "an automatic message answers nobody")

    def test_whatsapp_nothing_free_form_outside_the_window(self):
        with freeze_time(MONDAY_ELEVEN):
            # a late delivery of a message written two days ago: the 24-hour window is already closed
            old = fields.Datetime.now() - timedelta(days=2)
            conv = self.incoming(body="Old hello", date=old)
            self.assertTrue(conv.window_expires_at < fields.Datetime.now())
            self.assertFalse(self.system_messages(conv), "no free-form message outside the window")
            self.assertFalse(self.fake.calls("POST", WA_MESSAGES))
            self.assertEqual(conv.message_count, 1, "the customer's message is kept")
            self.incoming(body="New hello")  # the window opens: the greeting stays once-only, not late
            self.assertFalse(self.system_messages(conv))

    def test_whatsapp_away_message_with_the_next_opening(self):
        with freeze_time(FRIDAY_NOON):
            conv = self.incoming(body="Anyone?")
            self.incoming(body="Hello?")
            bodies = self.system_messages(conv).mapped("body")
            self.assertEqual(bodies, [GREETING, "We are closed. We are back at Sunday 09:00."])
            self.assertEqual(len(self.sent_texts(WA_MESSAGES)), 2)

    def test_away_message_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.channel.with_context(lang="he_IL").away_message = "סגור כעת. נחזור ב-{next_opening}."
        self.env["mychat.contact"].create(
            {"channel_id": self.channel.id, "external_id": "972500000001", "name": "Dana", "lang": "he_IL"}
        )
        with freeze_time(FRIDAY_NOON):
            conv = self.incoming(sender="972500000001")
            away = self.system_messages(conv)[-1]
            self.assertEqual(away.body, "סגור כעת. נחזור ב-יום ראשון 09:00.")

    def test_queue_message_when_all_agents_are_busy(self):
        self.member.mychat_max_open = 1
        with freeze_time(MONDAY_ELEVEN):
            first = self.incoming(sender="972500000011")
            second = self.incoming(sender="972500000012")
            third = self.incoming(sender="972500000013")
            self.incoming(sender="972500000013", body="still waiting")
            self.assertEqual(first.user_id, self.agent)
            self.assertEqual(self.system_messages(first).mapped("body"), [GREETING])
            self.assertEqual(
                self.system_messages(second).mapped("body"),
                [GREETING, "All our agents are busy: you are number 1 in the queue."],
            )
            self.assertEqual(
                self.system_messages(third).mapped("body"),
                [GREETING, "All our agents are busy: you are number 2 in the queue."],
                "once per conversation, with its place in the queue",
            )

    def test_no_queue_message_outside_opening_hours(self):
        self.member.mychat_max_open = 1
        with freeze_time(FRIDAY_NOON):
            self.incoming(sender="972500000021")
            queued = self.incoming(sender="972500000022")
            self.assertTrue(queued.mychat_queued_since)
            bodies = self.system_messages(queued).mapped("body")
            self.assertEqual(bodies, [GREETING, "We are closed. We are back at Sunday 09:00."])

    def test_telegram_greeting_once(self):
        with freeze_time(MONDAY_ELEVEN):
            conv = self.incoming(channel=self.tg, sender="777000")
            self.incoming(channel=self.tg, sender="777000", body="again")
            self.assertEqual(self.system_messages(conv).mapped("body"), [GREETING])
            self.assertEqual(self.system_messages(conv).state, "sent")
            self.assertEqual(len(self.fake.calls("POST", rf"^/bot{TG_TOKEN}/sendMessage$")), 1)

    def test_sms_greeting_and_away_once(self):
        with freeze_time(FRIDAY_NOON):
            conv = self.incoming(channel=self.sms, sender="+14155550123")
            self.incoming(channel=self.sms, sender="+14155550123", body="again")
            self.assertEqual(
                self.system_messages(conv).mapped("body"),
                [GREETING, "We are closed. We are back at Sunday 09:00."],
            )
            self.assertEqual(set(self.system_messages(conv).mapped("state")), {"sent"})
            self.assertEqual(len(self.fake.calls("POST", r"Messages\.json$")), 2)

    def test_nothing_configured_nothing_sent(self):
        self.channel.write({"greeting_message": False, "away_message": False, "queue_message": False})
        with freeze_time(FRIDAY_NOON):
            conv = self.incoming()
            self.assertFalse(self.system_messages(conv))


@tagged("post_install", "-at_install")
class TestAutomaticMessagesWebhook(MychatHttpCase):
    """The same through the provider's door: signed WhatsApp webhooks in, the greeting out once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        always = cls.env["resource.calendar"].create({"name": "Always", "tz": "UTC", "flexible_hours": True})
        cls.env.company.resource_calendar_id = always
        cls.channel.greeting_message = GREETING

    def test_greeting_once_over_the_webhook(self):
        self.fake.route("POST", WA_MESSAGES, (200, {"messages": [{"id": "wamid.greeting"}]}))
        for wamid, body in (("wamid.in1", "Hi"), ("wamid.in2", "Are you there?")):
            self.assertEqual(self.post_signed(wa.notification([wa.text(wamid, body)])).status_code, 200)
            self.process()
        self.env["mychat.message"]._cron_send_queued()
        conv = self.env["mychat.conversation"].search([("channel_id", "=", self.channel.id)])
        system = self.env["mychat.message"].search(
            [("conversation_id", "=", conv.id), ("author_kind", "=", "system")]
        )
        self.assertEqual(
            (system.body, system.state, system.external_id), (GREETING, "sent", "wamid.greeting")
        )
        self.assertEqual(len(self.fake.calls("POST", WA_MESSAGES)), 1)
