"""Shared helpers for the identity and CRM tests: WhatsApp messages from any sender, posted to the
webhook and processed as the cron does."""

import itertools

from . import whatsapp_payloads as wa
from .common import MychatHttpCase

_ids = itertools.count(1)


class MychatCrmCase(MychatHttpCase):
    def receive(self, wa_id, body="Hello", name="", ts=None):
        """Deliver one WhatsApp message through the webhook and process it; return its conversation."""
        message = wa.text(f"wamid.crm{next(_ids)}", body, wa_id=wa_id, ts=ts)
        response = self.post_signed(wa.notification([message], wa_id=wa_id, name=name))
        self.assertEqual(response.status_code, 200)
        self.process()
        return (
            self.env["mychat.message"]
            .search([("channel_id", "=", self.channel.id)], order="id desc", limit=1)
            .conversation_id
        )
