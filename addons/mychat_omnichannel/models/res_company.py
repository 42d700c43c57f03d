from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    mychat_default_team_id = fields.Many2one(
        "crm.team",
        string="Default MyChat team",
        check_company=True,
        help="Conversations of channels without a team go to this team (empty: the company's first sales "
        "team), so that none waits forever.",
    )

    def _mychat_default_team(self):
        """The team that takes conversations of channels without a team."""
        self.ensure_one()
        return self.mychat_default_team_id or self.env["crm.team"].sudo().search(
            [("company_id", "in", (self.id, False))], order="sequence, id", limit=1
        )
