from odoo import Command
from odoo.tests import tagged

from .common import ChatbotHttpCase


@tagged("post_install", "-at_install")
class TestLivechatChatbot(ChatbotHttpCase):
    """An Odoo chatbot session on website live chat, driven through its public routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Step = cls.env["chatbot.script.step"]
        cls.script = cls.env["chatbot.script"].create({"title": "Sales bot"})
        cls.step_hello, cls.step_email, cls.step_phone, cls.step_dispatch = Step.create(
            [
                {"chatbot_script_id": cls.script.id, "sequence": 1, "step_type": "text", "message": "Hello!"},
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 2,
                    "step_type": "question_email",
                    "message": "Your email?",
                },
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 3,
                    "step_type": "question_phone",
                    "message": "Your phone?",
                },
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 4,
                    "step_type": "question_selection",
                    "message": "How can I help?",
                },
            ]
        )
        cls.answer_quote, cls.answer_human = cls.env["chatbot.script.answer"].create(
            [
                {"script_step_id": cls.step_dispatch.id, "name": "I want a quote", "sequence": 1},
                {"script_step_id": cls.step_dispatch.id, "name": "Talk to a human", "sequence": 2},
            ]
        )
        cls.step_product, cls.step_lead, cls.step_forward, cls.step_busy = Step.create(
            [
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 5,
                    "step_type": "free_input_single",
                    "message": "Which product?",
                    "triggering_answer_ids": [Command.link(cls.answer_quote.id)],
                },
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 6,
                    "step_type": "create_lead",
                    "message": "We will call you back.",
                    "triggering_answer_ids": [Command.link(cls.answer_quote.id)],
                },
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 7,
                    "step_type": "forward_operator",
                    "message": "Let me find a colleague.",
                    "triggering_answer_ids": [Command.link(cls.answer_human.id)],
                },
                {
                    "chatbot_script_id": cls.script.id,
                    "sequence": 8,
                    "step_type": "text",
                    "message": "Everyone is busy.",
                    "triggering_answer_ids": [Command.link(cls.answer_human.id)],
                },
            ]
        )
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Support", "rule_ids": [Command.create({"chatbot_script_id": cls.script.id})]}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})

    def start_session(self):
        data = self.make_jsonrpc_request(
            "/im_livechat/get_session",
            {"channel_id": self.livechat.id, "chatbot_script_id": self.script.id},
            headers={"Referer": f"{self.base_url()}/pricing?utm_source=ad"},
        )
        return self.env["discuss.channel"].browse(data["channel_id"])

    def answer(self, session, body, answer=None, email=False):
        data = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": session.id,
                "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
            },
        )
        if email:
            self.make_jsonrpc_request("/chatbot/step/validate_email", {"channel_id": session.id})
        if answer:
            self.make_jsonrpc_request(
                "/chatbot/answer/save",
                {"channel_id": session.id, "message_id": data["message_id"], "selected_answer_id": answer.id},
            )
        self.make_jsonrpc_request("/chatbot/step/trigger", {"channel_id": session.id})

    def test_session_becomes_one_conversation(self):
        session = self.start_session()
        self.answer(session, "dana@example.com", email=True)
        self.answer(session, "054-123-4567")
        self.answer(session, "I want a quote", answer=self.answer_quote)
        self.answer(session, "Solar kit")
        self.assertEqual(session.chatbot_current_step_id, self.step_lead)

        conv = session.mychat_conversation_id
        self.assertEqual(
            self.env["mychat.conversation"].search(
                [("external_thread_id", "=", f"discuss.channel:{session.id}")]
            ),
            conv,
        )
        self.assertEqual(conv.channel_id.channel_type, "livechat")
        self.assertTrue(conv.is_chatbot)
        self.assertEqual(conv.subject, "Sales bot")
        transcript = [(m.author_kind, m.direction, m.body) for m in conv.mychat_message_ids.sorted("id")]
        self.assertEqual(
            transcript,
            [
                ("bot", "outbound", "Hello!"),
                ("bot", "outbound", "Your email?"),
                ("customer", "inbound", "dana@example.com"),
                ("bot", "outbound", "Your phone?"),
                ("customer", "inbound", "054-123-4567"),
                ("bot", "outbound", "How can I help?"),
                ("customer", "inbound", "I want a quote"),
                ("bot", "outbound", "Which product?"),
                ("customer", "inbound", "Solar kit"),
                ("bot", "outbound", "We will call you back."),
            ],
        )
        self.assertEqual(conv.lead_id.origin_channel_id, session, "the lead the script created")
        self.assertEqual(conv.lead_id.name, "Solar kit")
        data = {d.key: d.value for d in conv.data_ids}
        self.assertEqual(data["email"], "dana@example.com")
        self.assertEqual(data["phone"], "054-123-4567")
        self.assertEqual(data[f"chatbot_step_{self.step_dispatch.id}"], "I want a quote")
        self.assertEqual(data[f"chatbot_step_{self.step_product.id}"], "Solar kit")
        self.assertEqual(data["visitor_page_url"], f"{self.base_url()}/pricing?utm_source=ad")
        self.assertEqual(data["visitor_ip"], "127.0.0.1")
        self.assertEqual(conv.data_ids.filtered(lambda d: d.key == "email").label, "Your email?")
        self.assertEqual(conv.contact_id.email, "dana@example.com")
        self.assertEqual(conv.contact_id.phone, "+972541234567")
        self.assertEqual(conv.partner_id, self.partner, "identified by the email the visitor typed")

    def test_handoff_and_live_mode(self):
        session = self.start_session()
        self.answer(session, "someone@example.com", email=True)
        self.answer(session, "054-000-0000")
        self.answer(session, "Talk to a human", answer=self.answer_human)  # no operator online
        conv = session.mychat_conversation_id
        self.assertTrue(conv.needs_human)
        self.assertEqual(conv.handoff_reason, "Let me find a colleague.")
        self.assertEqual(conv.chatbot_mode, "live")
        self.assertEqual(self.env["mail.mail"].search_count([("email_to", "=", "team@example.com")]), 1)
        ack = conv.mychat_message_ids.filtered(lambda m: m.author_kind == "system")
        self.assertEqual(ack.state, "sent")
        posted_ack = self.env["mail.message"].browse(int(ack.external_id.split(":")[1]))
        self.assertEqual(posted_ack.res_id, session.id, "the acknowledgement reached the visitor")

        # live mode: the script does not go on, whatever the visitor writes
        step = session.chatbot_current_step_id
        self.answer(session, "Hello? Anybody?")
        self.assertEqual(session.chatbot_current_step_id, step)
        self.assertFalse(session.livechat_end_dt)

        # an agent answers from MyChat: posted in the session once, not echoed back
        count = len(session.message_ids)
        reply = self.env["mychat.message"].browse(conv.send_reply("Hi, I am Mitchell"))
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(reply.state, "sent")
        self.assertEqual(len(session.message_ids), count + 1)
        self.assertEqual(session.message_ids[0].author_id, self.env.user.partner_id)
        self.assertEqual(conv.mychat_message_ids.filtered(lambda m: m.body == "Hi, I am Mitchell"), reply)
        self.assertFalse(conv.needs_human)

        # back to the bot: the script answers again
        conv.action_chatbot_resume_bot()
        self.answer(session, "ok")
        self.assertNotEqual(session.chatbot_current_step_id, step)

    def test_handoff_without_operator_can_let_the_script_go_on(self):
        self.env["ir.config_parameter"].sudo().set_param("chatbot_sync.keep_script_without_operator", "True")
        session = self.start_session()
        self.answer(session, "someone@example.com", email=True)
        self.answer(session, "054-000-0000")
        self.answer(session, "Talk to a human", answer=self.answer_human)
        conv = session.mychat_conversation_id
        self.assertTrue(conv.needs_human, "the team is alerted all the same")
        self.assertEqual(conv.chatbot_mode, "bot")
        self.make_jsonrpc_request("/chatbot/step/trigger", {"channel_id": session.id})
        self.assertEqual(session.chatbot_current_step_id, self.step_busy)
        self.assertIn("Everyone is busy.", conv.mychat_message_ids.mapped("body"))
