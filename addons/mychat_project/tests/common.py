import json
import time

from odoo.addons.mychat_omnichannel.tests.common import MychatHttpCase
from odoo.addons.mychat_omnichannel.tools.signatures import standard_webhooks_signature

BOT_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class ChatbotConversationCase(MychatHttpCase):
    """A customer and an external bot's conversation with collected data, posted over the signed webhook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bot_channel = cls.env["mychat.channel"].create(
            {"name": "Service bot", "channel_type": "chatbot", "secret": BOT_SECRET}
        )
        cls.customer = cls.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})

    def bot_event(self, conversation_id="svc_1", text="My heater is broken", outcome="completed"):
        return {
            "type": "conversation.completed",
            "conversation_id": conversation_id,
            "bot": {"id": "service-bot", "name": "Service bot"},
            "started_at": "2026-06-01T10:00:00Z",
            "ended_at": "2026-06-01T10:04:12Z",
            "contact": {"external_id": "u_123", "name": "Dana Levi", "email": "dana@example.com"},
            "collected_fields": {
                "product": {"label": "Product", "value": "Solar heater S2"},
                "serial": {"label": "Serial number", "value": "SN-4471"},
            },
            "transcript": [
                {"id": "m1", "role": "bot", "text": "Hi! How can I help?", "ts": "2026-06-01T10:00:00Z"},
                {"id": "m2", "role": "user", "text": text, "ts": "2026-06-01T10:00:09Z"},
            ],
            "outcome": {"status": outcome, "reason": ""},
        }

    def post_bot_event(self, event, msg_id):
        body = json.dumps(event).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": standard_webhooks_signature(BOT_SECRET, msg_id, timestamp, body),
        }
        response = self.url_open(self.webhook_url(self.bot_channel), data=body, headers=headers)
        self.assertEqual(response.status_code, 200)
        self.process()
        return self.env["mychat.conversation"].search(
            [("channel_id", "=", self.bot_channel.id), ("external_thread_id", "=", event["conversation_id"])]
        )
