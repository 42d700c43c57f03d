from odoo.tests import BaseCase, tagged

from odoo.addons.mychat_omnichannel.tools.inbound import InboundMessage

from ..tools.chatbot_payload import ChatbotConversationEvent, PayloadError, parse

COMPLETED = {
    "type": "conversation.completed",
    "conversation_id": "c_42",
    "bot": {"id": "sales-bot", "name": "Sales bot"},
    "ended_at": "2026-06-01T10:04:12Z",
    "contact": {
        "external_id": "u_123",
        "name": "Dana Levi",
        "email": "dana@example.com",
        "customer_ref": "C-1001",
    },
    "collected_fields": {
        "product_interest": {"label": "Product", "value": "Solar kit"},
        "budget": {"value": None, "collected": False},
        "rooms": 3,
    },
    "transcript": [
        {"id": "m1", "role": "bot", "text": "Hi! How can I help?", "ts": "2026-06-01T10:00:00Z"},
        {"id": "m2", "role": "user", "text": "I want a quote", "ts": "2026-06-01T10:00:09+00:00"},
    ],
    "outcome": {"status": "handoff_requested", "reason": "quote"},
}


@tagged("post_install", "-at_install")
class TestChatbotPayload(BaseCase):
    def test_completed(self):
        *messages, event = parse(COMPLETED)
        self.assertTrue(all(isinstance(m, InboundMessage) for m in messages))
        self.assertEqual([m.external_id for m in messages], ["c_42:m1", "c_42:m2"])
        self.assertEqual(
            [(m.author_kind, m.direction) for m in messages], [("bot", "outbound"), ("customer", "inbound")]
        )
        self.assertEqual({m.thread_key for m in messages}, {"c_42"})
        self.assertEqual(str(messages[1].date), "2026-06-01 10:00:09")
        self.assertIsInstance(event, ChatbotConversationEvent)
        self.assertEqual(
            event.collected, [("product_interest", "Product", "Solar kit"), ("rooms", "rooms", "3")]
        )
        self.assertTrue(event.handoff)
        self.assertEqual(event.handoff_reason, "quote")
        self.assertEqual(event.contact.values, {"customer_ref": "C-1001"})
        self.assertEqual(str(event.completed_at), "2026-06-01 10:04:12")

    def test_message_created_merges_transcript(self):
        items = parse(
            {
                "type": "message.created",
                "conversation_id": "c_1",
                "message": {"id": "m2", "role": "agent", "text": "hello"},
                "transcript": [
                    {"id": "m2", "role": "agent", "text": "hello"},
                    {"id": "m1", "role": "system", "text": "x"},
                ],
            }
        )
        self.assertEqual(len(items), 3)  # m2 once, m1, the conversation event
        self.assertEqual(items[-1].contact.external_id, "conversation:c_1")
        self.assertFalse(items[-1].handoff)

    def test_invalid(self):
        for payload in (
            [],
            {"type": "other", "conversation_id": "c"},
            {"type": "message.created"},
            {"type": "message.created", "conversation_id": "c", "message": {"text": "no id"}},
            {"type": "message.created", "conversation_id": "c", "message": {"id": "1", "role": "robot"}},
        ):
            with self.assertRaises(PayloadError):
                parse(payload)
