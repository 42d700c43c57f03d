from datetime import datetime
from urllib.parse import parse_qs

from freezegun import freeze_time

from odoo.tests import Form, tagged

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact

from .common import ChatbotHttpCase


@tagged("post_install", "-at_install")
class TestLiveMode(ChatbotHttpCase):
    def setUp(self):
        super().setUp()
        self.fake.route("POST", "^/bot/events", (200, {"ok": True}))
        contact = self.env["mychat.contact"]._mychat_find_or_create(
            self.bot_channel, InboundContact(external_id="u_7", name="Avi")
        )
        self.conv = self.env["mychat.conversation"]._mychat_open_for(self.bot_channel, contact, "c_7")
        self.env["ir.config_parameter"].sudo().set_param("chatbot_sync.live_inactivity_minutes", "30")

    def expire(self):
        return self.env["mychat.conversation"]._cron_chatbot_live_expire()

    def test_timer_turns_live_off_and_each_agent_message_restarts_it(self):
        conv = self.conv
        self.assertEqual(conv.chatbot_mode, "bot")
        with freeze_time("2026-06-01 10:00:00"):
            conv.action_chatbot_take_over()
            self.assertEqual(conv.chatbot_mode, "live")
            self.assertEqual(conv.live_mode_until, datetime(2026, 6, 1, 10, 30))
            self.assertEqual(conv.user_id, self.env.user)
        with freeze_time("2026-06-01 10:20:00"):
            conv.invalidate_recordset(["live_mode_minutes_left"])
            self.assertEqual(conv.live_mode_minutes_left, 10, "the agent sees the time left")
            conv.send_reply("Still here")
            self.env["mychat.message"]._cron_send_queued()
            self.assertEqual(
                conv.live_mode_until, datetime(2026, 6, 1, 10, 50), "an agent message restarts it"
            )
        with freeze_time("2026-06-01 10:40:00"):
            self.assertFalse(self.expire())
            self.assertEqual(conv.chatbot_mode, "live")
            conv.send_reply("Anything else?")
            self.env["mychat.message"]._cron_send_queued()
        with freeze_time("2026-06-01 11:09:00"):
            self.assertFalse(self.expire())
        with freeze_time("2026-06-01 11:10:01"):
            self.fake.requests.clear()
            self.assertEqual(self.expire(), conv)
            self.assertEqual(conv.chatbot_mode, "bot")
            self.assertFalse(conv.live_mode_until)
        self.assertEqual(
            [(e["type"], e["mode"]) for e in self.bot_calls()], [("conversation.mode_changed", "bot")]
        )

    def test_agent_message_takes_over(self):
        self.conv.send_reply("I will take it from here")
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(self.conv.chatbot_mode, "live")
        events = self.bot_calls()
        self.assertEqual([e["type"] for e in events], ["conversation.mode_changed", "message.created"])

    def test_unreachable_bot_never_blocks_the_agent(self):
        self.fake.route("POST", "^/bot/events", (410, {"error": "gone"}))
        self.conv.action_chatbot_take_over()
        self.assertEqual(self.conv.chatbot_mode, "live")
        self.assertIn("410", self.conv._mychat_notes().body)

    def test_send_script_step(self):
        script = self.env["chatbot.script"].create({"title": "Bot"})
        step = self.env["chatbot.script.step"].create(
            {
                "chatbot_script_id": script.id,
                "step_type": "question_selection",
                "message": "<p>Pick a plan</p>",
            }
        )
        self.env["chatbot.script.answer"].create(
            [{"script_step_id": step.id, "name": "Basic"}, {"script_step_id": step.id, "name": "Pro"}]
        )
        action = self.env.ref("chatbot_sync.mychat_script_reply_action")
        wizard = Form(self.env[action.res_model].with_context(default_conversation_id=self.conv.id))
        wizard.step_id = step
        self.assertEqual(wizard.body, "Pick a plan\n1. Basic\n2. Pro")
        wizard.save().action_send()
        sent = self.conv.mychat_message_ids.filtered(lambda m: m.author_kind == "agent")
        self.assertEqual(sent.body, "Pick a plan\n1. Basic\n2. Pro")
        self.assertEqual(self.bot_calls()[-1]["message"]["text"], "Pick a plan\n1. Basic\n2. Pro")

    def test_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.chatbot_live_inactivity_minutes = 45
        settings.chatbot_handoff_email = "desk@example.com"
        settings.chatbot_handoff_ack = "We are on it"
        settings.save().execute()
        param = self.env["ir.config_parameter"].sudo().get_param
        self.assertEqual(param("chatbot_sync.live_inactivity_minutes"), "45")
        self.assertEqual(param("chatbot_sync.handoff_email"), "desk@example.com")
        self.conv._chatbot_request_handoff("test")
        self.assertEqual(
            self.conv.mychat_message_ids.filtered(lambda m: m.author_kind == "system").body, "We are on it"
        )

    def test_handoff_alert_by_sms(self):
        self.env["ir.config_parameter"].sudo().set_param("chatbot_sync.handoff_phone", "054-123-4567")
        # no SMS route at all: the hand-off still happens
        self.assertTrue(self.conv._chatbot_request_handoff("no sms"))
        self.assertTrue(self.conv.needs_human)

        sid = "AC" + "1" * 32
        self.env["mychat.channel"].create(
            {
                "name": "SMS",
                "channel_type": "sms",
                "secret": "twilio-token",
                "sms_account_sid": sid,
                "external_account_id": "+14155550000",
                "api_base_url": f"{self.fake.url}/2010-04-01",
            }
        )
        self.fake.route("POST", rf"^/2010-04-01/Accounts/{sid}/Messages\.json$", (201, {"sid": "SM1"}))
        other = self.env["mychat.conversation"]._mychat_open_for(
            self.bot_channel,
            self.env["mychat.contact"]._mychat_find_or_create(
                self.bot_channel, InboundContact(external_id="u_8")
            ),
            "c_8",
        )
        other._chatbot_request_handoff("quote")
        (sms,) = self.fake.calls("POST", "Messages.json")
        form = parse_qs(sms["body"].decode())
        self.assertEqual(form["To"], ["+972541234567"])
        self.assertIn("asks for a human", form["Body"][0])
