from odoo import api, fields, models


class CrmLead(models.Model):
    """The collected data of the lead's conversations on the lead form, as it is now."""

    _inherit = "crm.lead"

    mychat_data_ids = fields.Many2many(
        "mychat.conversation.data",
        compute="_compute_mychat_data_ids",
        string="Chat data",
        help="What bots, forms and agents collected in this lead's conversations (the latest value of each).",
    )
    mychat_data_count = fields.Integer(compute="_compute_mychat_data_ids", string="Chat data count")

    @api.depends("mychat_conversation_ids.data_ids.value")
    def _compute_mychat_data_ids(self):
        for lead in self:
            data = lead.mychat_conversation_ids.data_ids.sorted(
                lambda d: (d.conversation_id.id, d.sequence, d.id)
            )
            lead.mychat_data_ids = data
            lead.mychat_data_count = len(data)
