from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLivechatBridge(HttpCase):
    """Website live chat sessions (no chatbot) mirrored in MyChat, and agent replies written in MyChat."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env,
            login="op",
            name="Olivia Operator",
            groups="im_livechat.im_livechat_group_user,mychat_omnichannel.group_mychat_user",
        )
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Support", "user_ids": [cls.operator.id]}
        )

    def setUp(self):
        super().setUp()
        # operator selection (presence, routing availability) is not what this test is about
        operator = self.operator
        self.patch(type(self.env["im_livechat.channel"]), "_get_operator", lambda channel, **kwargs: operator)

    def test_session_transcript_and_reply(self):
        data = self.make_jsonrpc_request(
            "/im_livechat/get_session",
            {"channel_id": self.livechat.id},
            headers={"Referer": f"{self.base_url()}/shop"},
        )
        session = self.env["discuss.channel"].browse(data["channel_id"])
        self.assertFalse(session.mychat_conversation_id, "no conversation before anybody wrote")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": session.id,
                "post_data": {
                    "body": "Do you ship to Eilat?",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
            headers={"Referer": f"{self.base_url()}/shop"},  # browsers send the page URL with every call
        )
        session.with_user(self.operator).message_post(
            body="Yes we do!", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

        conv = session.mychat_conversation_id
        self.assertEqual(conv.channel_id.channel_type, "livechat")
        self.assertEqual(conv.channel_id.company_id, self.env.company)
        self.assertFalse(conv.is_chatbot)
        self.assertEqual(
            [(m.author_kind, m.direction, m.body) for m in conv.mychat_message_ids.sorted("id")],
            [("customer", "inbound", "Do you ship to Eilat?"), ("agent", "outbound", "Yes we do!")],
        )
        self.assertEqual(conv.mychat_message_ids.sorted("id")[1].author_user_id, self.operator)
        self.assertTrue(conv.contact_id.external_id.startswith("guest:"))
        context = {d.key: d.value for d in conv.data_ids}
        self.assertEqual(context["visitor_page_url"], f"{self.base_url()}/shop")
        self.assertEqual(context["visitor_ip"], "127.0.0.1")
        self.assertEqual(set(conv.data_ids.mapped("source")), {"visitor"})

        reply = self.env["mychat.message"].browse(
            conv.with_user(self.operator).send_reply("It takes 2 days.")
        )
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(reply.state, "sent")
        posted = session.message_ids[0]
        self.assertEqual(
            (posted.author_id, posted.body), (self.operator.partner_id, "<p>It takes 2 days.</p>")
        )
        self.assertEqual(reply.external_id, f"mail.message:{posted.id}")
        self.assertEqual(len(conv.mychat_message_ids), 3, "the reply is not copied back")

        session.livechat_end_dt = fields.Datetime.now()
        with self.assertRaisesRegex(UserError, "left"):
            conv.send_reply("Still there?")

    def test_session_is_the_conversation_thread_nothing_copied(self):
        data = self.make_jsonrpc_request("/im_livechat/get_session", {"channel_id": self.livechat.id})
        session = self.env["discuss.channel"].browse(data["channel_id"])
        posted = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "discuss.channel",
                "thread_id": session.id,
                "post_data": {
                    "body": "Hello?",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        conv = session.mychat_conversation_id
        self.assertEqual(conv.discuss_channel_id, session, "the session is the conversation's Discuss thread")
        self.assertIn(self.operator.partner_id, session.channel_member_ids.partner_id)
        visitor_message = self.env["mail.message"].browse(posted["message_id"])
        wire = conv.mychat_message_ids
        self.assertEqual(wire.mail_message_id, visitor_message, "the wire record is linked, not copied")
        # an operator answering in Discuss, with a file: one message in the session, its own attachment
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.operator)
            .create({"name": "map.txt", "raw": b"map", "res_model": "discuss.channel", "res_id": session.id})
        )
        answer = session.with_user(self.operator).message_post(
            body="Here",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachment.ids,
        )
        reply = conv.mychat_message_ids - wire
        self.assertEqual((reply.author_kind, reply.state, reply.mail_message_id), ("agent", "sent", answer))
        self.assertEqual(reply.attachment_ids, answer.attachment_ids, "the same attachment, no copy")
        self.assertEqual(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "discuss.channel"),
                    ("res_id", "=", session.id),
                    ("message_type", "=", "comment"),
                ]
            ),
            2,
        )
        # a chatter note on the conversation is never shown to the visitor
        conv.action_post_note("VIP")
        self.assertNotIn("VIP", " ".join(session.message_ids.mapped("body")))
