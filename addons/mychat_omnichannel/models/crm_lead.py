from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    mychat_conversation_ids = fields.One2many("mychat.conversation", "lead_id", string="Conversations")
    mychat_conversation_count = fields.Integer(compute="_compute_mychat_conversation_count", string="Chats")
    mychat_lead_rule_id = fields.Many2one("mychat.lead.rule", string="Created by MyChat rule", readonly=True)

    def _compute_mychat_conversation_count(self):
        counts = dict(
            self.env["mychat.conversation"]._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
        )
        for lead in self:
            lead.mychat_conversation_count = counts.get(lead, 0)

    def action_view_mychat_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("mychat_omnichannel.mychat_conversation_action")
        action["domain"] = [("lead_id", "in", self.ids)]
        return action
