from odoo import fields, models


class MychatTag(models.Model):
    _name = "mychat.tag"
    _description = "MyChat Conversation Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _name_uniq = models.Constraint("UNIQUE(name)", "A tag with this name already exists.")
