import unittest
from datetime import timedelta
from urllib.parse import quote

from lxml import etree
from markupsafe import Markup

from odoo import fields
from odoo.tests import tagged

from .common import MychatHttpCase
from .test_workspace import MESSAGES_PATH, inbound
from .tour_helpers import LiveTourMixin


@tagged("post_install", "-at_install")
class TestWorkspaceTour(LiveTourMixin, MychatHttpCase):
    browser_size = "1440x1000"

    def setUp(self):
        super().setUp()
        now = fields.Datetime.now()
        inbound(self.channel, "wamid.T1", "Do you deliver to Haifa?", now - timedelta(hours=3))
        question = inbound(self.channel, "wamid.T2", "And the price?", now - timedelta(hours=2, minutes=50))
        self.conv = question.conversation_id
        self.conv.partner_id = self.env["res.partner"].create(
            {"name": "Dana Levi", "email": "dana@example.com"}
        )
        self.conv.user_id = self.env.ref("base.user_admin")
        vip, order = self.env["mychat.tag"].create(
            [{"name": "VIP", "color": 2}, {"name": "Order", "color": 4}]
        )
        self.conv.tag_ids = vip
        others = [
            ("972501111111", "Yossi Cohen", "Is the blue sofa in stock?", 40, order),
            ("972502222222", "Mariam Haddad", "מתי תגיע ההזמנה שלי?", 75, order | vip),
        ]
        for sender, name, text, minutes, tags in others:
            message = inbound(
                self.channel, f"wamid.{sender}", text, now - timedelta(minutes=minutes), sender, name
            )
            message.conversation_id.write({"tag_ids": tags.ids, "user_id": False})
        answered = inbound(
            self.channel,
            "wamid.T3",
            "Thanks!",
            now - timedelta(hours=5),
            sender="972507777777",
            name="Answered Ari",
        )
        self.fake.route(
            "POST", MESSAGES_PATH, *[(200, {"messages": [{"id": f"wamid.OUT{n}"}]}) for n in range(3)]
        )
        answered.conversation_id.send_reply("You're welcome")
        self.env["mychat.message"]._cron_send_queued()
        self.fake.requests.clear()
        self.canned = self.env["mail.canned.response"].create(
            {
                "source": "mydelivery",
                "substitution": "Hello! How can I help you?",
                "group_ids": [(4, self.env.ref("mychat_omnichannel.group_mychat_user").id)],
            }
        )
        self.env.ref("base.user_admin").mychat_notify_sound = False

    def awaiting_label(self, lang):
        arch = (
            self.env["mychat.conversation"]
            .with_context(lang=lang)
            .get_views([(False, "search")])["views"]["search"]["arch"]
        )
        return etree.fromstring(arch).xpath("//filter[@name='awaiting_reply']/@string")[0]

    def run_tour(self, tour, lang="en_US"):
        self.run_live_tour(
            "/odoo/action-mychat_omnichannel.mychat_inbox_all_action",
            tour,
            cookies={"mychat_awaiting_label": quote(self.awaiting_label(lang))},
        )

    def assert_flow_done(self):
        self.conv.invalidate_recordset()
        messages = self.conv.mychat_message_ids.filtered(lambda m: m.direction == "outbound")
        quick, quoted = messages
        self.assertEqual(quick.body, "Hello! How can I help you?")
        self.assertEqual(self.canned.mychat_usage_count, 1, "the quick reply's usage counter increased")
        self.assertEqual(quoted.reply_to_id.body, "And the price?")
        self.assertEqual(self.conv._mychat_notes().body, Markup("<p>VIP customer, be quick</p>"))
        sent = [call["json"] for call in self.fake.calls("POST", MESSAGES_PATH)]
        self.assertEqual(
            [p["text"]["body"] for p in sent], ["Hello! How can I help you?", "120 ILS delivered"]
        )
        self.assertEqual(sent[1]["context"], {"message_id": "wamid.T2"})
        self.assertFalse(
            [r for r in self.fake.requests if b"VIP customer" in r["body"]],
            "the internal note never reached the provider",
        )
        self.assertEqual(self.conv.state, "resolved")

    def test_agent_flow(self):
        self.build_assets()
        self.run_tour("mychat_inbox_tour")
        self.assert_flow_done()
        self.save_shots(["inbox", "conversation"])

    def test_agent_flow_rtl(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.env.ref("base.user_admin").lang = "he_IL"
        self.build_assets(rtl=True)
        self.run_tour("mychat_inbox_rtl_tour", lang="he_IL")
        self.assert_flow_done()
        self.save_shots(["inbox", "conversation"], "_rtl")

    @unittest.skip(
        "Open: the template sent from an unassigned conversation does not appear on the open page (the agent "
        "joins its channel by sending it); see readme/ROADMAP.md. Covered where the agent owns it: "
        "test_discuss_tour.TestDiscussTour.test_template_outside_window"
    )
    def test_template_outside_window(self):
        old = inbound(
            self.channel,
            "wamid.OLD",
            "Is my order ready?",
            fields.Datetime.now() - timedelta(days=2),
            "972503333333",
        )
        self.env["mychat.template"].create(
            {
                "name": "Order ready",
                "provider_name": "order_ready",
                "lang": "he",
                "body": "Hi {{1}}, order {{2}} is ready",
            }
        )
        self.build_assets()
        self.run_live_tour(f"/odoo/mychat.conversation/{old.conversation_id.id}", "mychat_template_tour")
        sent = old.conversation_id.mychat_message_ids.filtered(lambda m: m.direction == "outbound")
        self.assertEqual((sent.state, sent.failure_reason), ("sent", False))
        payload = self.fake.calls("POST", MESSAGES_PATH)[-1]["json"]
        self.assertEqual(payload["type"], "template")
        self.assertEqual(payload["template"]["name"], "order_ready")
        self.assertEqual(
            payload["template"]["components"][0]["parameters"],
            [{"type": "text", "text": "Dana"}, {"type": "text", "text": "A-17"}],
        )
