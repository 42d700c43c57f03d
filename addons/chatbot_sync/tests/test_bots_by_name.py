from odoo import Command
from odoo.tests import tagged

from .common import ChatbotHttpCase


def completed(conversation_id, bot_id, bot_name, user):
    return {
        "type": "conversation.completed",
        "conversation_id": conversation_id,
        "bot": {"id": bot_id, "name": bot_name},
        "contact": {"external_id": user, "name": f"Customer {user}"},
        "transcript": [{"id": "m1", "role": "user", "text": "Hello", "ts": "2026-06-01T10:00:09Z"}],
        "outcome": {"status": "resolved"},
    }


@tagged("post_install", "-at_install")
class TestBotsByName(ChatbotHttpCase):
    """bot_ref / bot_name on conversations, for external bots (the payload's bot) and Odoo chatbots
    (chatbot.script,<id>), filtered and grouped over XML-RPC by a MyChat user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Bot watcher",
                "login": "bot.watcher",
                "password": "bot.watcher.pw",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.script = cls.env["chatbot.script"].create({"title": "Website helper"})
        cls.env["chatbot.script.step"].create(
            {"chatbot_script_id": cls.script.id, "sequence": 1, "step_type": "text", "message": "Hi there!"}
        )
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Support", "rule_ids": [Command.create({"chatbot_script_id": cls.script.id})]}
        )

    def rpc(self, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.agent.id,
            "bot.watcher.pw",
            "mychat.conversation",
            method,
            list(args),
            kwargs,
        )

    def test_external_and_odoo_bots_by_name(self):
        self.post_event(completed("c_1", "sales-bot", "Sales bot", "u_1"), "evt_1")
        self.post_event(completed("c_2", "sales-bot", "Sales bot", "u_2"), "evt_2")
        self.post_event(completed("c_3", "support-bot", "Support bot", "u_3"), "evt_3")
        self.process()
        session = self.env["discuss.channel"].browse(
            self.make_jsonrpc_request(
                "/im_livechat/get_session",
                {"channel_id": self.livechat.id, "chatbot_script_id": self.script.id},
            )["channel_id"]
        )
        odoo_conv = session._mychat_conversation()
        self.assertEqual(odoo_conv.bot_ref, f"chatbot.script,{self.script.id}")
        self.assertEqual(odoo_conv.bot_name, "Website helper")

        sales = self.rpc(
            "search_read", [("bot_name", "=", "Sales bot")], fields=["bot_ref", "external_thread_id"]
        )
        self.assertEqual(sorted(r["external_thread_id"] for r in sales), ["c_1", "c_2"])
        self.assertEqual({r["bot_ref"] for r in sales}, {"sales-bot"})
        by_ref = self.rpc("search", [("bot_ref", "=", f"chatbot.script,{self.script.id}")])
        self.assertEqual(by_ref, [odoo_conv.id])
        # the search view's "Bot" field: name or reference
        view_domain = ["|", ("bot_name", "ilike", "support"), ("bot_ref", "=", "support")]
        self.assertEqual(len(self.rpc("search", view_domain)), 1)
        groups = self.rpc("read_group", [("bot_name", "!=", False)], ["bot_name"], ["bot_name"])
        counts = {g["bot_name"]: g["bot_name_count"] for g in groups}
        self.assertEqual(counts, {"Sales bot": 2, "Support bot": 1, "Website helper": 1})

    def test_external_bot_gets_no_handoff_acknowledgement_by_default(self):
        self.fake.route("POST", "^/bot/events", (200, {"ok": True}))
        event = completed("c_9", "sales-bot", "Sales bot", "u_9")
        event.update(type="conversation.handoff_requested", reason="wants a human")
        self.post_event(event, "evt_9")
        self.process()
        conv = self.env["mychat.conversation"].search([("external_thread_id", "=", "c_9")])
        self.assertTrue(conv.needs_human)
        self.assertFalse(
            self.env["mychat.message"].search(
                [("conversation_id", "=", conv.id), ("author_kind", "=", "system")]
            ),
            "the bot tells its own customer: MyChat adds nothing to its transcript",
        )
        self.assertEqual([e["type"] for e in self.bot_calls()], ["conversation.mode_changed"])
