from odoo import api, fields, models


class MychatConversationData(models.Model):
    _name = "mychat.conversation.data"
    _description = "MyChat Collected Data"
    _order = "sequence, id"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    key = fields.Char(required=True)
    label = fields.Char()
    value = fields.Text()
    source = fields.Selection(
        [("bot", "Bot"), ("form", "Form"), ("agent", "Agent"), ("visitor", "Visitor context")],
        default="agent",
    )

    _conversation_key_uniq = models.Constraint(
        "UNIQUE(conversation_id, key)", "Each collected field is stored once per conversation."
    )

    @api.model
    def _mychat_upsert(self, conversation, rows, source):
        """Store ``rows`` of (key, label, value) on ``conversation``: a known key gets the new value."""
        existing = {d.key: d for d in self.search([("conversation_id", "=", conversation.id)])}
        for key, label, value in rows:
            if key in existing:
                existing[key].write({"label": label or existing[key].label, "value": value, "source": source})
            else:
                existing[key] = self.create(
                    {
                        "conversation_id": conversation.id,
                        "key": key,
                        "label": label,
                        "value": value,
                        "source": source,
                        "sequence": len(existing) + 10,
                    }
                )
        return existing
