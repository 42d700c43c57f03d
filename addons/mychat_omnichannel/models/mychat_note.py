from odoo import fields, models


class MychatNote(models.Model):
    _name = "mychat.note"
    _description = "MyChat Internal Note"
    _order = "date, id"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="conversation_id.company_id", store=True)
    author_id = fields.Many2one("res.users", default=lambda self: self.env.user, required=True)
    body = fields.Text(required=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True)
