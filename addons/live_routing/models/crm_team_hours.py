from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    mychat_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Opening hours",
        help="When the team answers customers: the away message and the 'back at …' time shown to "
        "website visitors follow it, and waiting and resolution times are also measured in these hours "
        "(default: the company's working hours).",
    )

    def _mychat_opening_calendar(self, company=None):
        """The team's opening hours, else the company's working hours."""
        company = company or self.company_id or self.env.company
        return (self[:1].mychat_calendar_id or company.resource_calendar_id).sudo()
