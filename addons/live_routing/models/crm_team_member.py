from odoo import api, fields, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    mychat_max_open = fields.Integer(
        string="Max open conversations",
        default=0,
        help="Conversations in New, Open or Pending this agent can hold at once (0 = no limit).",
    )
    mychat_seniority = fields.Integer(
        string="Seniority",
        default=1,
        help="Tier used by the tiered strategy: 1 = junior; higher numbers are more senior.",
    )
    mychat_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        help="Overrides the agent's working hours for this team "
        "(default: the employee's, else the company's).",
    )
    mychat_last_assigned = fields.Datetime(
        string="Last assignment", readonly=True, help="Used for round robin and to break ties (longest idle)."
    )
    mychat_last_turn = fields.Integer(readonly=True, help="Team assignment counter at the last assignment.")
    mychat_availability = fields.Selection(related="user_id.mychat_availability", readonly=False)
    mychat_open_count = fields.Integer(string="Open conversations", compute="_compute_mychat_open_count")

    @api.depends("user_id")
    def _compute_mychat_open_count(self):
        counts = self.user_id._mychat_open_counts()
        for member in self:
            member.mychat_open_count = counts.get(member.user_id.id, 0)
