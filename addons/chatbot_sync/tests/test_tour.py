from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestChatbotTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.il")
        # the demo bot (demo data is not always loaded)
        cls.script = script = cls.env["chatbot.script"].create({"title": "MyChat demo bot"})
        Step = cls.env["chatbot.script.step"]
        steps = Step.create(
            [
                {
                    "chatbot_script_id": script.id,
                    "sequence": 1,
                    "step_type": "text",
                    "message": "Hello! I am the MyChat demo bot.",
                },
                {
                    "chatbot_script_id": script.id,
                    "sequence": 2,
                    "step_type": "question_email",
                    "message": "What is your email address?",
                },
                {
                    "chatbot_script_id": script.id,
                    "sequence": 3,
                    "step_type": "question_phone",
                    "message": "And your phone number?",
                },
                {
                    "chatbot_script_id": script.id,
                    "sequence": 4,
                    "step_type": "question_selection",
                    "message": "How can I help you?",
                },
            ]
        )
        quote, human = cls.env["chatbot.script.answer"].create(
            [
                {"script_step_id": steps[3].id, "name": "I want a quote", "sequence": 1},
                {"script_step_id": steps[3].id, "name": "Talk to a human", "sequence": 2},
            ]
        )
        cls.answer_human = human
        Step.create(
            [
                {
                    "chatbot_script_id": script.id,
                    "sequence": 5,
                    "step_type": "forward_operator",
                    "message": "Let me find a colleague for you.",
                    "triggering_answer_ids": [Command.link(human.id)],
                },
                {
                    "chatbot_script_id": script.id,
                    "sequence": 6,
                    "step_type": "text",
                    "message": "Everyone is busy right now: a colleague will answer you soon.",
                    "triggering_answer_ids": [Command.link(human.id)],
                },
                {
                    "chatbot_script_id": script.id,
                    "sequence": 7,
                    "step_type": "text",
                    "message": "Thank you! A quote is on its way.",
                    "triggering_answer_ids": [Command.link(quote.id)],
                },
            ]
        )
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "MyChat support", "rule_ids": [Command.create({"chatbot_script_id": script.id})]}
        )
        cls.partner = cls.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})
        cls.env["ir.config_parameter"].sudo().set_param("chatbot_sync.handoff_email", "team@example.com")

    def flagged_conversation(self):
        conv = self.env["mychat.conversation"].search([("channel_id.channel_type", "=", "livechat")])
        self.assertEqual(len(conv), 1)
        self.assertTrue(conv.is_chatbot)
        self.assertTrue(conv.needs_human)
        self.assertEqual(conv.chatbot_mode, "live")
        self.assertEqual(conv.partner_id, self.partner)
        self.assertEqual(conv.mychat_message_ids.sorted("id")[-1].body, "I need a quote for 3 rooms")
        self.assertNotIn(
            "Everyone is busy",
            " ".join(conv.mychat_message_ids.mapped("body")),
            "the bot is silent in live mode",
        )
        self.assertEqual(self.env["mail.mail"].search_count([("email_to", "=", "team@example.com")]), 1)
        return conv

    def test_visitor_asks_for_a_human(self):
        self.start_tour(f"/im_livechat/support/{self.livechat.id}", "chatbot_sync_visitor_tour")
        conv = self.flagged_conversation()
        page_url = conv.data_ids.filtered(lambda d: d.key == "visitor_page_url").value
        self.assertIn(f"/im_livechat/support/{self.livechat.id}", page_url)

    def test_agent_sees_flagged_conversation(self):
        data = self.make_jsonrpc_request(
            "/im_livechat/get_session", {"channel_id": self.livechat.id, "chatbot_script_id": self.script.id}
        )
        session = self.env["discuss.channel"].browse(data["channel_id"])
        for body, answer in (
            ("dana@example.com", None),
            ("054-123-4567", None),
            ("Talk to a human", self.answer_human),
            ("I need a quote for 3 rooms", None),
        ):
            posted = self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "discuss.channel",
                    "thread_id": session.id,
                    "post_data": {
                        "body": body,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            )
            if answer:
                self.make_jsonrpc_request(
                    "/chatbot/answer/save",
                    {
                        "channel_id": session.id,
                        "message_id": posted["message_id"],
                        "selected_answer_id": answer.id,
                    },
                )
            self.make_jsonrpc_request("/chatbot/step/trigger", {"channel_id": session.id})
        self.flagged_conversation()
        # build the web client's bundles here: built by the browser's first request, they hold the test cursor
        # long enough for the client's parallel requests to time out on a busy machine
        for bundle in ("web.assets_web", "web.assets_tests"):
            assets = self.env["ir.qweb"]._get_asset_bundle(bundle)
            assets.css()
            assets.js()
        self.start_tour(
            "/odoo/action-mychat_omnichannel.mychat_conversation_action",
            "chatbot_sync_agent_tour",
            login="admin",
        )
