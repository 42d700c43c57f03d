from odoo import models

from ..tools import webhooks


class MychatConversation(models.Model):
    """Outbound webhook events of conversations (see readme/API.md)."""

    _inherit = "mychat.conversation"

    def _mychat_webhook_data(self):
        """The ``data`` of conversation events: integer ids (null when empty)."""
        self.ensure_one()
        return {
            "conversation_id": self.id,
            "channel_id": self.channel_id.id,
            "channel_type": self.channel_id.channel_type,
            "contact_id": self.contact_id.id,
            "contact_external_id": self.contact_id.external_id or None,
            "partner_id": self.partner_id.id or None,
            "lead_id": self.lead_id.id or None,
            "user_id": self.user_id.id or None,
            "team_id": self.team_id.id or None,
            "state": self.state,
            "is_chatbot": self.is_chatbot,
            "subject": self.subject or None,
            "last_inbound_date": webhooks.iso_utc(self.last_inbound_date),
        }

    def _mychat_webhook(self, event_type, extra=None, message=None):
        Delivery = self.env["mychat.webhook.delivery"]
        for conv in self:
            data = message._mychat_webhook_data() if message else conv._mychat_webhook_data()
            Delivery._mychat_enqueue(
                event_type, {**data, **(extra or {})}, conversation=conv, message=message
            )

    def _mychat_webhooks_wanted(self, *event_types):
        """Whether an active subscription wants one of ``event_types`` (no query: cached)."""
        return self.env["mychat.webhook.subscription"]._mychat_is_wanted(*event_types)

    def _mychat_on_new(self):
        res = super()._mychat_on_new()
        if self._mychat_webhooks_wanted("conversation.created"):
            self._mychat_webhook("conversation.created")
        return res

    def _mychat_register(self, message):
        res = super()._mychat_register(message)
        event = "message.received" if message.direction == "inbound" else "message.sent"
        if self._mychat_webhooks_wanted(event):
            self._mychat_webhook(event, message=message)
        return res

    def write(self, vals):
        if not ({"user_id", "state", "lead_id"} & set(vals)) or not self._mychat_webhooks_wanted(
            "conversation.assigned", "conversation.resolved", "lead.linked"
        ):
            return super().write(vals)
        user_id = vals.get("user_id")
        assigned = self.filtered(lambda c: c.user_id.id != user_id) if user_id else self.browse()
        resolving = vals.get("state") == "resolved"
        resolved = self.filtered(lambda c: c.state != "resolved") if resolving else self.browse()
        lead_id = vals.get("lead_id")
        linked = self.filtered(lambda c: c.lead_id.id != lead_id) if lead_id else self.browse()
        res = super().write(vals)
        assigned._mychat_webhook("conversation.assigned")
        resolved._mychat_webhook("conversation.resolved")
        linked._mychat_webhook("lead.linked")
        return res
