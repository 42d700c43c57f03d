from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    mychat_helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="MyChat helpdesk team",
        help="Tickets opened from conversations go to this team unless another one is chosen.",
    )
