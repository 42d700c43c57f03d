from odoo import fields, models


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
    source = fields.Selection([("bot", "Bot"), ("form", "Form"), ("agent", "Agent")], default="agent")

    _conversation_key_uniq = models.Constraint(
        "UNIQUE(conversation_id, key)", "Each collected field is stored once per conversation."
    )
