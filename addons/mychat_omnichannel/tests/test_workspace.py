from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..tools.inbound import InboundContact, InboundMessage
from .common import MychatCase

MESSAGES_PATH = r"/106540352242922/messages$"


def inbound(channel, external_id, body, date, sender="972501234567", name="Dana"):
    return channel.env["mychat.conversation"]._mychat_ingest(
        channel,
        InboundMessage(
            external_id=external_id,
            contact=InboundContact(sender, name=name, phone=sender),
            date=date,
            body=body,
        ),
    )


@tagged("post_install", "-at_install")
class TestWorkspace(MychatCase):
    def setUp(self):
        super().setUp()
        self.now = fields.Datetime.now().replace(microsecond=0)
        self.first = inbound(
            self.channel, "wamid.IN1", "Do you deliver to Haifa?", self.now - timedelta(hours=2)
        )
        self.second = inbound(self.channel, "wamid.IN2", "And the price?", self.now - timedelta(hours=1))
        self.conv = self.first.conversation_id
        self.fake.route("POST", MESSAGES_PATH, (200, {"messages": [{"id": "wamid.OUT"}]}))
        self.canned = self.env["mail.canned.response"].create(
            {
                "source": "price",
                "substitution": "Our prices are on the website.",
                "mychat_link_text": "Price list",
                "mychat_link_url": "https://example.com/prices",
            }
        )

    def sent_payloads(self):
        return [call["json"] for call in self.fake.calls("POST", MESSAGES_PATH)]

    def test_transcript_interleaves_messages_and_notes(self):
        note = self.env["mail.message"].browse(self.conv.action_post_note("Customer from the trade fair"))
        note.date = self.now - timedelta(minutes=30)
        reply_id = self.conv.send_reply("Yes, we do.", reply_to_id=self.first.id)
        self.env["mychat.message"]._cron_send_queued()
        data = self.conv.mychat_get_transcript()
        kinds = [(item["kind"], item["body"]) for item in data["items"]]
        self.assertEqual(
            kinds,
            [
                ("message", "Do you deliver to Haifa?"),
                ("message", "And the price?"),
                ("note", "Customer from the trade fair"),
                ("message", "Yes, we do."),
            ],
        )
        reply = data["items"][-1]
        self.assertEqual(reply["id"], reply_id)
        self.assertEqual(reply["state"], "sent")
        self.assertEqual(reply["reply_to"]["id"], self.first.id)
        self.assertTrue(data["window_open"])
        self.assertEqual(data["customer"]["contact"]["phone"], "+972501234567")
        self.assertEqual(data["customer"]["last_seen"], self.now - timedelta(hours=1))
        self.assertEqual(
            self.sent_payloads()[-1]["context"], {"message_id": "wamid.IN1"}, "quoted on WhatsApp too"
        )

    def test_note_is_never_sent(self):
        self.conv.action_post_note("Do not promise a discount")
        self.assertFalse(self.fake.requests, "an internal note never reaches the provider")
        self.assertTrue(self.conv.awaiting_reply, "a note is no answer")

    def test_quick_reply_counts_usage(self):
        # as the composer writes it: the substitution, then the link button
        body = "Our prices are on the website.\nPrice list: https://example.com/prices"
        self.conv.mychat_composer_send(body, canned_response_ids=[self.canned.id])
        self.env["mychat.message"]._cron_send_queued()
        self.conv.mychat_composer_send(body, canned_response_ids=[self.canned.id])
        self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(self.canned.mychat_usage_count, 2)
        self.assertTrue(self.canned.last_used)
        self.assertEqual(self.sent_payloads()[-1]["text"]["body"], body)
        self.assertFalse(self.conv.awaiting_reply)

    def test_quick_reply_images_are_attached(self):
        image = self.env["ir.attachment"].create(
            {"name": "menu.png", "raw": b"\x89PNG fake", "mimetype": "image/png"}
        )
        self.canned.mychat_attachment_ids = image
        self.fake.route("POST", r"/media$", (200, {"id": "media-1"}))
        message_id = self.conv.mychat_composer_send("Our menu", canned_response_ids=[self.canned.id])
        self.env["mychat.message"]._cron_send_queued()
        message = self.env["mychat.message"].browse(message_id)
        self.assertEqual(message.attachment_ids.name, "menu.png")
        self.assertNotEqual(message.attachment_ids, image, "a copy belongs to the conversation")
        self.assertEqual(self.sent_payloads()[-1]["image"], {"id": "media-1", "caption": "Our menu"})

    def test_template_outside_window(self):
        template = self.env["mychat.template"].create(
            {
                "name": "Follow-up",
                "provider_name": "order_follow_up",
                "lang": "he",
                "body": "Hi {{1}}, order {{2}} is ready",
            }
        )
        self.assertEqual(template.variable_count, 2)
        with freeze_time(self.now + timedelta(days=2)):
            self.assertFalse(self.conv.mychat_get_transcript()["window_open"])
            with self.assertRaisesRegex(UserError, "reply window"):
                self.conv.send_reply("Still there?")
                self.env["mychat.message"]._cron_send_queued()
            self.assertEqual(self.conv.mychat_get_transcript()["templates"][0]["id"], template.id)
            with self.assertRaises(UserError):
                self.conv.send_template(template.id, ["Dana"])
                self.env["mychat.message"]._cron_send_queued()
            message = self.env["mychat.message"].browse(
                self.conv.send_template(template.id, ["Dana", "A-17"])
            )
            self.env["mychat.message"]._cron_send_queued()
        self.assertEqual(message.body, "Hi Dana, order A-17 is ready")
        self.assertEqual(message.state, "sent")
        self.assertEqual(
            self.sent_payloads()[-1],
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "972501234567",
                "type": "template",
                "template": {
                    "name": "order_follow_up",
                    "language": {"code": "he"},
                    "components": [
                        {
                            "type": "body",
                            "parameters": [
                                {"type": "text", "text": "Dana"},
                                {"type": "text", "text": "A-17"},
                            ],
                        }
                    ],
                },
            },
        )
        template.status = "rejected"
        with self.assertRaisesRegex(UserError, "approved"):
            self.conv.send_template(template.id, ["Dana", "A-17"])
            self.env["mychat.message"]._cron_send_queued()

    def test_withdraw_marks_withdrawn_when_provider_cannot_delete(self):
        message = self.env["mychat.message"].browse(self.conv.send_reply("Wrong customer, sorry"))
        self.env["mychat.message"]._cron_send_queued()
        requests_before = len(self.fake.requests)
        message.action_withdraw()
        self.assertTrue(message.withdrawn)
        self.assertFalse(message.recalled, "WhatsApp Cloud API cannot delete a sent message")
        self.assertEqual(len(self.fake.requests), requests_before)
        self.assertTrue(self.conv.mychat_get_transcript()["items"][-1]["withdrawn"])

    def test_inbox_filters_and_bulk_actions(self):
        Conv = self.env["mychat.conversation"]
        other = inbound(
            self.channel, "wamid.OTHER", "Hello", self.now - timedelta(hours=23), sender="972509999999"
        ).conversation_id
        self.assertEqual(Conv.search([("window_closing_soon", "=", True)]), other)
        self.assertIn(self.conv, Conv.search([("window_closing_soon", "=", False)]))
        self.assertEqual(Conv.search([("mychat_message_ids.body", "ilike", "haifa")]), self.conv)
        self.assertEqual(
            self.conv.with_context(mychat_now=self.now).waiting_time,
            "2h 0m",
            "since the first unanswered message",
        )
        (self.conv | other).action_assign_to_me()
        self.assertEqual(Conv.mychat_unanswered_count(), 2)
        (self.conv | other).action_snooze()
        self.assertEqual(set((self.conv | other).mapped("state")), {"snoozed"})
        (self.conv | other).action_resolve()
        self.assertEqual(Conv.mychat_unanswered_count(), 0)

    def test_transfer_and_tags(self):
        colleague = self.env["res.users"].create(
            {
                "name": "Colleague",
                "login": "colleague",
                "group_ids": [(4, self.env.ref("mychat_omnichannel.group_mychat_user").id)],
            }
        )
        with patch.object(type(self.env["res.users"]), "_bus_send", autospec=True) as bus_send:
            self.conv.mychat_transfer(colleague.id)
        alerts = [(call.args[0], call.args[2]["kind"]) for call in bus_send.call_args_list]
        self.assertIn((colleague, "assigned"), alerts, "the new agent gets a popup")
        self.assertEqual(self.conv.user_id, colleague)
        self.assertIn("Transferred to Colleague", self.conv._mychat_notes().body)
        tag = self.env["mychat.tag"].create({"name": "VIP"})
        with Form(self.conv) as form:
            form.tag_ids.add(tag)
        self.assertEqual(self.conv.tag_ids, tag)
        self.assertEqual(self.env["mychat.conversation"].search([("tag_ids", "in", tag.ids)]), self.conv)
        self.assertIn(colleague.id, [a["id"] for a in self.conv.mychat_get_transcript()["agents"]])
        self.assertIsInstance(self.conv.mychat_get_transcript()["items"][0]["date"], datetime)

    def test_agent_without_sales_rights_uses_the_workspace(self):
        agent = self.env["res.users"].create(
            {
                "name": "Agent",
                "login": "mychat_agent",
                "group_ids": [(6, 0, [self.env.ref("mychat_omnichannel.group_mychat_user").id])],
            }
        )
        self.conv.lead_id = self.env["crm.lead"].create({"name": "Haifa delivery"})
        image = self.env["ir.attachment"].create(
            {"name": "map.png", "raw": b"\x89PNG map", "mimetype": "image/png"}
        )
        self.canned.write({"group_ids": [(4, self.env.ref("mychat_omnichannel.group_mychat_user").id)]})
        self.canned.mychat_attachment_ids = image
        self.fake.route("POST", r"/media$", (200, {"id": "media-2"}))
        conv = self.conv.with_user(agent)
        self.assertEqual(
            conv.mychat_get_transcript()["customer"]["leads"],
            [],
            "no sudo past CRM's rights: no CRM, no leads",
        )
        conv.mychat_composer_send("See the map", canned_response_ids=[self.canned.id])
        self.env["mychat.message"]._cron_send_queued()
        conv.action_post_note("Checked with the warehouse")
        self.assertEqual(self.canned.mychat_usage_count, 1)
        self.assertEqual(conv.user_id, agent, "the agent who answers takes the conversation")
        self.assertEqual(self.env["mychat.conversation"].with_user(agent).mychat_unanswered_count(), 0)

    def test_customer_search(self):
        """The inbox's "Customer" filter finds a conversation by any key of its customer or sender."""
        self.conv.partner_id = self.env["res.partner"].create(
            {"name": "Dana Levi", "email": "dana.levi@example.com", "ref": "C-1001"}
        )
        other = inbound(self.channel, "wamid.IN3", "Hi", self.now, sender="972509999999", name="Avi")
        Conversation = self.env["mychat.conversation"]
        domain = self.env.ref("mychat_omnichannel.mychat_conversation_view_search").arch
        self.assertIn("customer_search", domain, "the search view's Customer field uses it")
        for term in ("levi", "DANA.LEVI@example", "C-1001", "Dana", "+97250123", "50123456"):
            self.assertEqual(Conversation.search([("customer_search", "ilike", term)]), self.conv, term)
        self.assertEqual(
            Conversation.search([("customer_search", "ilike", "Avi")]),
            other.conversation_id,
            "the sender's name",
        )
        self.assertNotIn(self.conv, Conversation.search([("customer_search", "not ilike", "levi")]))
        self.assertFalse(Conversation.search([("customer_search", "ilike", "nobody-like-this")]))
