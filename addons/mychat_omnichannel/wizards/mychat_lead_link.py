from odoo import api, fields, models


class MychatLeadLink(models.TransientModel):
    """Link a conversation to an existing lead or opportunity, the customer's own ones first."""

    _name = "mychat.lead.link"
    _description = "Link a MyChat conversation to a lead"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="conversation_id.partner_id")
    commercial_partner_id = fields.Many2one(related="conversation_id.partner_id.commercial_partner_id")
    search_all = fields.Boolean(
        string="Search all leads", help="Unticked: only the leads and opportunities of this customer."
    )
    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead / Opportunity",
        required=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)] "
        "if commercial_partner_id and not search_all else []",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        conversation = self.env["mychat.conversation"].browse(values.get("conversation_id"))
        if conversation:
            values.setdefault("lead_id", conversation.lead_id.id or conversation._mychat_find_open_lead().id)
            values.setdefault("search_all", not conversation.partner_id)
        return values

    def action_link(self):
        self.ensure_one()
        self.conversation_id.lead_id = self.lead_id
        return {"type": "ir.actions.act_window_close"}
