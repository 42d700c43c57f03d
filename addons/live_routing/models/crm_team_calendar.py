from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    mychat_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening hours",
        help="The team's opening hours: waiting and resolution times are also measured in these hours "
        "(default: the company's working hours).",
    )
