from odoo import models

from ..tools import webhooks


class MychatMessage(models.Model):
    """``message.status`` webhook events: every delivery state change of an outbound message."""

    _inherit = "mychat.message"

    def _mychat_webhook_data(self):
        self.ensure_one()
        conv = self.conversation_id
        return {
            "conversation_id": conv.id,
            "message_id": self.id,
            "channel_id": conv.channel_id.id,
            "channel_type": conv.channel_id.channel_type,
            "contact_id": conv.contact_id.id,
            "partner_id": conv.partner_id.id or None,
            "direction": self.direction,
            "author_kind": self.author_kind,
            "body": self.body or "",
            "message_type": self.message_type or "text",
            "external_id": self.external_id or None,
            "state": self.state,
            "failure_reason": self.failure_reason or None,
            "date": webhooks.iso_utc(self.date),
            "attachment_count": len(self.attachment_ids),
        }

    def write(self, vals):
        if "state" not in vals or not self.env["mychat.conversation"]._mychat_webhooks_wanted(
            "message.status"
        ):
            return super().write(vals)
        before = {m.id: m.state for m in self if m.direction == "outbound"}
        res = super().write(vals)
        for message in self:
            if message.id in before and before[message.id] != message.state:
                message.conversation_id._mychat_webhook(
                    "message.status", extra={"previous_state": before[message.id]}, message=message
                )
        return res
