import json
import time

from markupsafe import Markup

from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tools.discuss import Store

from . import whatsapp_payloads as wa
from .common import MychatHttpCase

MESSAGES_PATH = r"^/v23\.0/106540352242922/messages$"
# a browser subscription's public key (the one Odoo's own web push tests use)
P256DH = "BGbhnoP_91U7oR59BaaSx0JnDv2oEooYnJRV2AbY5TBeKGCRCf0HcIJ9bOKchUCDH4cHYWo9SYDz3U-8vSxPL_A"


def accepted(wamid):
    return 200, {"messaging_product": "whatsapp", "messages": [{"id": wamid}]}


@tagged("post_install", "-at_install")
class TestDiscussThread(MychatHttpCase):
    """A WhatsApp conversation lives in its own Discuss channel: inbound messages are posted there, an
    agent answers in Discuss, the reply reaches the (fake) Graph API exactly once, notes never do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            login="discuss_agent",
            name="Avi Agent",
            password="discuss_agent",
            groups="base.group_user,mychat_omnichannel.group_mychat_user",
        )

    def receive(self, wamid, body, ago=60):
        payload = wa.notification([wa.text(wamid, body, ts=time.time() - ago)])
        self.assertEqual(self.post_signed(payload).status_code, 200)
        self.process()
        return self.env["mychat.message"].search([("external_id", "=", wamid)])

    def drain(self):
        self.env["mychat.message"]._cron_send_queued()

    def test_inbound_posted_in_discuss_by_the_contact(self):
        inbound = self.receive("wamid.D1", "Is the shop open?")
        conv = inbound.conversation_id
        channel = conv.discuss_channel_id
        self.assertEqual(channel.channel_type, "mychat")
        self.assertEqual(channel.mychat_conversation_id, conv)
        self.assertEqual(channel.name, "Dana Levi")
        posted = inbound.mail_message_id
        self.assertEqual((posted.model, posted.res_id), ("discuss.channel", channel.id))
        self.assertEqual(posted.body, Markup("<p>Is the shop open?</p>"))
        self.assertFalse(posted.author_id, "not identified yet: the contact's name, no partner")
        self.assertEqual(posted.email_from, "Dana Levi")
        self.assertEqual(posted.date, inbound.date, "the provider's time")
        # the wire fields stay readable over RPC, unchanged
        self.assertEqual(
            inbound.read(["body", "direction", "author_kind", "external_id", "state"])[0]["body"],
            "Is the shop open?",
        )

    def test_agent_post_in_discuss_sent_exactly_once(self):
        conv = self.receive("wamid.D2", "Do you deliver?").conversation_id
        conv.user_id = self.agent
        channel = conv.discuss_channel_id
        self.assertIn(self.agent.partner_id, channel.channel_member_ids.partner_id, "the agent is a member")
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.OUT-D2"))
        self.authenticate("discuss_agent", "discuss_agent")
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": channel.id,
                "post_data": {
                    "body": "Yes, tomorrow",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        mail_message = self.env["mail.message"].browse(result["message_id"])
        wire = self.env["mychat.message"].search([("mail_message_id", "=", mail_message.id)])
        self.assertEqual(
            (wire.direction, wire.author_kind, wire.author_user_id, wire.body, wire.state),
            ("outbound", "agent", self.agent, "Yes, tomorrow", "queued"),
        )
        self.assertFalse(self.fake.calls("POST", MESSAGES_PATH), "nothing is sent before commit")
        self.drain()
        self.drain()
        calls = self.fake.calls("POST", MESSAGES_PATH)
        self.assertEqual(len(calls), 1, "exactly once")
        self.assertEqual(calls[0]["json"]["text"]["body"], "Yes, tomorrow")
        self.assertEqual((wire.state, wire.external_id), ("sent", "wamid.OUT-D2"))
        # the delivery state shows on the message in Discuss
        data = Store().add(mail_message.with_user(self.agent)).get_result()
        shown = next(m for m in data["mail.message"] if m["id"] == mail_message.id)
        self.assertEqual((shown["mychat_state"], shown["mychat_direction"]), ("sent", "outbound"))
        self.assertEqual(shown["mychat_message_id"], wire.id)
        channel_data = Store().add(channel.with_user(self.agent)).get_result()
        shown_channel = next(c for c in channel_data["discuss.channel"] if c["id"] == channel.id)
        self.assertEqual(shown_channel["mychat_conversation_id"], conv.id)
        self.assertEqual(shown_channel["mychat_channel_type"], "whatsapp")
        self.assertTrue(shown_channel["mychat_window_open"])

    def test_send_reply_posts_in_the_channel(self):
        inbound = self.receive("wamid.D3", "Price?")
        conv = inbound.conversation_id
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.OUT-D3"))
        wire = self.env["mychat.message"].browse(
            conv.with_user(self.agent).send_reply("100 ILS", reply_to_id=inbound.id)
        )
        self.assertEqual(wire.mail_message_id.author_id, self.agent.partner_id)
        self.assertEqual(wire.mail_message_id.parent_id, inbound.mail_message_id, "quotes are parent_id")
        self.assertEqual(conv.user_id, self.agent)
        self.assertIn(self.agent.partner_id, conv.discuss_channel_id.channel_member_ids.partner_id)
        self.drain()
        self.assertEqual(len(self.fake.calls("POST", MESSAGES_PATH)), 1)

    def test_chatter_note_never_sent(self):
        conv = self.receive("wamid.D4", "hello").conversation_id
        self.fake.route("POST", MESSAGES_PATH, accepted("wamid.NEVER"))
        note = self.env["mail.message"].browse(conv.with_user(self.agent).action_post_note("Customer is VIP"))
        conv.with_user(self.agent).message_post(body="another note", subtype_xmlid="mail.mt_note")
        self.drain()
        self.assertEqual(
            (note.model, note.res_id, note.subtype_id), (conv._name, conv.id, self.env.ref("mail.mt_note"))
        )
        self.assertFalse(self.fake.calls("POST", MESSAGES_PATH), "a note never reaches the provider")
        self.assertEqual(conv.mychat_message_ids.mapped("direction"), ["inbound"])
        self.assertNotIn("VIP", " ".join(conv.discuss_channel_id.message_ids.mapped("body")))

    def test_transfer_moves_membership(self):
        conv = self.receive("wamid.D5", "hello").conversation_id
        other = new_test_user(
            self.env, login="discuss_other", groups="base.group_user,mychat_omnichannel.group_mychat_user"
        )
        conv.user_id = self.agent
        conv.user_id = other
        members = conv.discuss_channel_id.channel_member_ids.partner_id
        self.assertIn(other.partner_id, members)
        self.assertNotIn(self.agent.partner_id, members)

    def test_new_customer_message_web_pushes_the_agent(self):
        conv = self.receive("wamid.D6", "first").conversation_id
        conv.user_id = self.agent
        self.env["mail.push.device"].get_web_push_vapid_public_key()  # generates the VAPID keys
        self.fake.route("POST", r"^/push/", (201, {}))
        self.env["mail.push.device"].sudo().create(
            {
                "endpoint": f"{self.fake.url}/push/avi-phone",
                "keys": json.dumps(
                    {
                        "p256dh": P256DH,
                        "auth": "DJFdtAgZwrT6yYkUMgUqow",
                    }
                ),
                "partner_id": self.agent.partner_id.id,
            }
        )
        self.receive("wamid.D7", "are you there?", ago=5)
        pushes = self.fake.calls("POST", r"^/push/avi-phone$")
        self.assertEqual(len(pushes), 1, "Odoo's web push reached the agent's registered device")
        self.assertEqual(pushes[0]["headers"].get("Content-Encoding"), "aes128gcm")
        member = conv.discuss_channel_id.channel_member_ids.filtered(
            lambda m: m.partner_id == self.agent.partner_id
        )
        self.assertEqual(member.message_unread_counter, 2, "the unread counter of Discuss")
