import json
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from . import whatsapp_payloads as wa
from .common import MychatHttpCase
from .test_workspace import MESSAGES_PATH, inbound
from .tour_helpers import LiveTourMixin

SMS_PATH = r"/Accounts/AC1/Messages\.json$"


@tagged("post_install", "-at_install")
class TestDiscussTour(LiveTourMixin, MychatHttpCase):
    """The agent's side in the browser: a WhatsApp chat in Discuss and in the chat-first conversation view,
    with the send queue and the event processing running as the crons would, while the tour waits."""

    browser_size = "1440x1000"

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.admin.mychat_notify_sound = False
        self.recipient = wa.DANA
        self.fake.route(
            "POST", MESSAGES_PATH, *[(200, {"messages": [{"id": f"wamid.OUT{n}"}]}) for n in range(5)]
        )

    def on_tour_signal(self, name):
        if name == "inbound":
            body = wa.notification([wa.text("wamid.LIVE1", "Do you deliver to Haifa?")])
        elif name == "delivered":
            wamid = f"wamid.OUT{len(self.fake.calls('POST', MESSAGES_PATH)) - 1}"
            status = wa.status(wamid, "delivered", time.time(), recipient=self.recipient)
            body = wa.notification(statuses=[status])
        self.assertEqual(self.post_signed_live(json.dumps(body).encode()).status_code, 200)

    def run_tour(self, url, tour):
        self.run_live_tour(url, tour)

    def sent_texts(self):
        return [call["json"].get("text", {}).get("body") for call in self.fake.calls("POST", MESSAGES_PATH)]

    def assign_new_to_admin(self):
        """Routing stand-in: a new conversation goes to the admin (who then is a member of its channel)."""
        admin = self.admin

        def on_new(conversation):
            conversation.user_id = admin.with_env(conversation.env)

        return patch.object(type(self.env["mychat.conversation"]), "_mychat_on_new", on_new)

    # ------------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------------

    def test_whatsapp_chat_live_in_discuss(self):
        with self.assign_new_to_admin():
            self.run_tour("/odoo/discuss", "mychat_discuss_tour")
        conv = self.env["mychat.conversation"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(len(conv), 1)
        self.assertEqual(self.sent_texts(), ["Yes, we deliver to Haifa tomorrow"], "sent exactly once")
        reply = self.env["mychat.message"].search(
            [("conversation_id", "=", conv.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(
            (reply.body, reply.state, reply.author_user_id), (self.sent_texts()[0], "delivered", self.admin)
        )
        self.assertEqual(reply.mail_message_id.model, "discuss.channel")
        self.assertEqual(reply.mail_message_id.res_id, conv.discuss_channel_id.id)
        self.save_shots(["discuss"])

    def chat_first_conversation(self, hours_ago=1):
        message = inbound(
            self.channel,
            "wamid.CF1",
            "Do you deliver to Haifa?",
            fields.Datetime.now() - timedelta(hours=hours_ago),
        )
        conv = message.conversation_id
        self.recipient = conv.contact_id.external_id
        conv.partner_id = self.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})
        conv.user_id = self.admin
        return conv

    def test_chat_first_conversation_view(self):
        conv = self.chat_first_conversation()
        self.run_tour(f"/odoo/mychat.conversation/{conv.id}", "mychat_chat_first_tour")
        self.assertEqual(self.sent_texts(), ["We deliver tomorrow"], "sent exactly once")
        self.assertFalse(
            [r for r in self.fake.requests if b"VIP customer" in r["body"]],
            "the chatter note never reached the provider",
        )
        note = conv.message_ids.filtered(lambda m: "VIP customer" in (m.body or ""))
        self.assertTrue(note.subtype_id.internal)
        self.assertEqual(conv.state, "resolved")
        self.save_shots(["chat_first"])

    def test_template_outside_window(self):
        conv = self.chat_first_conversation(hours_ago=48)
        conv.partner_id.phone = "+972541234567"
        self.env["mychat.channel"].create(
            {
                "name": "SMS office",
                "channel_type": "sms",
                "secret": "tok",
                "sms_account_sid": "AC1",
                "external_account_id": "+14155550000",
                "api_base_url": f"{self.fake.url}/2010-04-01",
            }
        )
        self.fake.route("POST", SMS_PATH, (201, {"sid": "SM1", "status": "queued"}))
        self.env["mychat.template"].create(
            {
                "name": "Order ready",
                "provider_name": "order_ready",
                "lang": "he",
                "body": "Hi {{1}}, order {{2}} is ready",
            }
        )
        self.run_tour(f"/odoo/mychat.conversation/{conv.id}", "mychat_discuss_template_tour")
        payload = self.fake.calls("POST", MESSAGES_PATH)[-1]["json"]
        self.assertEqual(payload["type"], "template")
        self.assertEqual(payload["template"]["name"], "order_ready")
        self.assertEqual(
            payload["template"]["components"][0]["parameters"],
            [{"type": "text", "text": "Dana"}, {"type": "text", "text": "A-17"}],
        )
        [sms] = self.fake.calls("POST", SMS_PATH)
        self.assertIn(b"Your+order+A-17+is+ready", sms["body"], "the fallback sent on SMS, free text")
        self.assertIn(b"%2B972541234567", sms["body"])


@tagged("post_install", "-at_install")
class TestDiscussPhoneTour(LiveTourMixin, MychatHttpCase):
    """Odoo's phone layout: the chat-first view and a chat window answer the customer."""

    browser_size = "390x844"
    touch_enabled = True

    def test_phone_layout(self):
        message = inbound(
            self.channel, "wamid.PH1", "Do you deliver to Haifa?", fields.Datetime.now() - timedelta(hours=1)
        )
        conv = message.conversation_id
        conv.partner_id = self.env["res.partner"].create({"name": "Dana Levi"})
        conv.user_id = self.env.ref("base.user_admin")
        self.fake.route(
            "POST", MESSAGES_PATH, *[(200, {"messages": [{"id": f"wamid.PHONE{n}"}]}) for n in range(3)]
        )
        self.run_live_tour(f"/odoo/mychat.conversation/{conv.id}", "mychat_phone_tour")
        texts = [call["json"]["text"]["body"] for call in self.fake.calls("POST", MESSAGES_PATH)]
        self.assertEqual(texts, ["From the phone", "And from the chat window"])
        self.save_shots(["chat_first_phone", "discuss_phone"])


@tagged("post_install", "-at_install")
class TestLivechatDiscussTour(LiveTourMixin, HttpCase):
    """A website live chat session is one conversation: answered in Discuss, nothing is copied."""

    def test_livechat_answered_from_discuss(self):
        operator = new_test_user(
            self.env,
            login="op",
            name="Olivia Operator",
            groups="im_livechat.im_livechat_group_user,mychat_omnichannel.group_mychat_user",
        )
        livechat = self.env["im_livechat.channel"].create({"name": "Support", "user_ids": [operator.id]})
        self.patch(type(self.env["im_livechat.channel"]), "_get_operator", lambda channel, **kwargs: operator)
        referer = {"Referer": f"{self.base_url()}/shop"}
        data = self.make_jsonrpc_request(
            "/im_livechat/get_session", {"channel_id": livechat.id}, headers=referer
        )
        session = self.env["discuss.channel"].browse(data["channel_id"])
        post_data = {
            "body": "Do you ship to Eilat?",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
        }
        self.make_jsonrpc_request(
            "/mail/message/post",
            {"thread_model": "discuss.channel", "thread_id": session.id, "post_data": post_data},
            headers=referer,
        )
        mychat_channels = self.env["discuss.channel"].search_count([("channel_type", "=", "mychat")])
        self.run_live_tour("/odoo/discuss", "mychat_livechat_discuss_tour", login="op")
        conv = session.mychat_conversation_id
        self.assertEqual(conv.discuss_channel_id, session, "the session is the conversation's thread")
        self.assertEqual(
            self.env["discuss.channel"].search_count([("channel_type", "=", "mychat")]),
            mychat_channels,
            "no second channel",
        )
        posted = session.message_ids.filtered(lambda m: m.message_type == "comment").mapped("body")
        self.assertEqual(len(posted), 2, "each message once in the session")
        self.assertEqual(
            [(m.direction, m.body) for m in conv.mychat_message_ids.sorted("id")],
            [("inbound", "Do you ship to Eilat?"), ("outbound", "Yes, we ship to Eilat")],
        )
