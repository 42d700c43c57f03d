from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    mychat_private_inbox = fields.Boolean(
        string="Private MyChat inbox",
        help="Only the team's members, the assigned agent and invited colleagues read this team's "
        "conversations (MyChat managers read all).",
    )
