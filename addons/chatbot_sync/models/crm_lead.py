from markupsafe import Markup

from odoo import api, fields, models


class CrmLead(models.Model):
    """The bots' actions in the lead's conversations, on the lead form."""

    _inherit = "crm.lead"

    mychat_bot_summary = fields.Html(
        compute="_compute_mychat_bot_summary",
        string="Bot actions",
        sanitize=False,
        help="Per bot conversation of the lead: steps taken, outcome, hand-off reason.",
    )

    @api.depends("mychat_conversation_ids.is_chatbot")
    def _compute_mychat_bot_summary(self):
        for lead in self:
            bots = lead.mychat_conversation_ids.filtered("is_chatbot")
            lead.mychat_bot_summary = (
                Markup("").join(conv._chatbot_bot_summary() for conv in bots) if bots else False
            )
