"""Shared helpers for the identity and CRM tests: WhatsApp messages from any sender, posted to the
webhook and processed as the cron does."""

import itertools
import time

from .common import MychatHttpCase

_ids = itertools.count(1)


def whatsapp_text(wa_id, body, name="", ts=None):
    """A signed-webhook body carrying one text message from ``wa_id``."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": "106540352242922",
                            },
                            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": f"wamid.crm{next(_ids)}",
                                    "timestamp": str(int(ts if ts is not None else time.time())),
                                    "type": "text",
                                    "text": {"body": body},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


class MychatCrmCase(MychatHttpCase):
    def receive(self, wa_id, body="Hello", name="", ts=None):
        """Deliver one WhatsApp message through the webhook and process it; return its conversation."""
        response = self.post_signed(whatsapp_text(wa_id, body, name=name, ts=ts))
        self.assertEqual(response.status_code, 200)
        self.process()
        return (
            self.env["mychat.message"]
            .search([("channel_id", "=", self.channel.id)], order="id desc", limit=1)
            .conversation_id
        )
