from odoo import api, fields, models

from ..tools import templates
from .mychat_channel import CHANNEL_TYPES


class MychatTemplate(models.Model):
    _name = "mychat.template"
    _description = "MyChat Approved Message Template"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, default="whatsapp")
    channel_id = fields.Many2one("mychat.channel", help="Empty: every channel of this type.")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    lang = fields.Char(
        string="Language code",
        required=True,
        default="en",
        help="The provider's language code, e.g. en_US, he, ar.",
    )
    provider_name = fields.Char(
        string="Provider template name",
        required=True,
        help="The template's name as approved by the provider.",
    )
    body = fields.Text(required=True, help="The approved text; {{1}}, {{2}}, … are filled in when sending.")
    variable_count = fields.Integer(compute="_compute_variable_count")
    status = fields.Selection(
        [("draft", "Draft"), ("pending", "Submitted"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="approved",
        required=True,
    )

    @api.depends("body")
    def _compute_variable_count(self):
        for template in self:
            template.variable_count = templates.variable_count(template.body)

    def _mychat_render(self, values):
        self.ensure_one()
        return templates.render(self.body, values)

    @api.model
    def _mychat_usable_for(self, channel):
        return self.search(
            [
                ("status", "=", "approved"),
                ("channel_type", "=", channel.channel_type),
                ("channel_id", "in", [False, channel.id]),
            ]
        )
