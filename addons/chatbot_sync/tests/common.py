import json
import time
from unittest.mock import patch

from odoo.addons.mychat_omnichannel.tests.common import MychatHttpCase
from odoo.addons.mychat_omnichannel.tools.signatures import standard_webhooks_signature

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class ChatbotHttpCase(MychatHttpCase):
    """A `chatbot` channel whose bot endpoint (api_base_url) is the fake provider on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # HttpCase's request guard compares the timeout with a number: use one number, not (connect, read)
        cls.startClassPatcher(patch("odoo.addons.mychat_omnichannel.models.mychat_channel.TIMEOUT", 20))
        cls.bot_channel = cls.env["mychat.channel"].create(
            {
                "name": "Sales bot",
                "channel_type": "chatbot",
                "secret": SECRET,
                "api_base_url": f"{cls.fake.url}/bot/events",
            }
        )
        cls.env["ir.config_parameter"].sudo().set_param("chatbot_sync.handoff_email", "team@example.com")

    def post_event(self, event, msg_id, timestamp=None, secret=SECRET, signature=None):
        body = json.dumps(event).encode()
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": signature or standard_webhooks_signature(secret, msg_id, timestamp, body),
        }
        return self.url_open(self.webhook_url(self.bot_channel), data=body, headers=headers)

    def bot_calls(self):
        """Events MyChat posted to the bot, signature checked."""
        events = []
        for call in self.fake.calls("POST", "^/bot/events"):
            headers = {k.lower(): v for k, v in call["headers"].items()}
            expected = standard_webhooks_signature(
                SECRET, headers["webhook-id"], headers["webhook-timestamp"], call["body"]
            )
            self.assertEqual(headers["webhook-signature"], expected)
            events.append(call["json"])
        return events
