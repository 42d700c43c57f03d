from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .mychat_conversation import ACTIVE_STATES


class CrmLead(models.Model):
    _inherit = "crm.lead"

    mychat_conversation_ids = fields.One2many(
        "mychat.conversation",
        "lead_id",
        string="Conversations",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_conversation_count = fields.Integer(
        compute="_compute_mychat_conversation_count",
        string="Chats",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_history_ids = fields.Many2many(
        "mychat.conversation",
        compute="_compute_mychat_history_ids",
        string="Chat history",
        help="The conversations of this lead and of its customer and the customer's contacts, newest first.",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_history_count = fields.Integer(
        compute="_compute_mychat_history_ids",
        string="Chat history count",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_lead_rule_id = fields.Many2one(
        "mychat.lead.rule",
        string="Created by MyChat rule",
        readonly=True,
        groups="mychat_omnichannel.group_mychat_user",
    )

    @api.depends("mychat_conversation_ids")
    def _compute_mychat_conversation_count(self):
        counts = dict(
            self.env["mychat.conversation"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.mychat_conversation_count = counts.get(lead, 0)

    def _mychat_history_domain(self):
        self.ensure_one()
        if not self.partner_id:
            return [("lead_id", "=", self.id)]
        family = self.partner_id.commercial_partner_id.id
        return ["|", ("lead_id", "=", self.id), ("partner_id", "child_of", family)]

    def _compute_mychat_history_ids(self):
        Conversation = self.env["mychat.conversation"]
        for lead in self:
            history = (
                Conversation.search(lead._mychat_history_domain(), order="last_message_date desc, id desc")
                if lead.id
                else Conversation
            )
            lead.mychat_history_ids = history
            lead.mychat_history_count = len(history)

    def action_view_mychat_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mychat_omnichannel.mychat_conversation_action"
        )
        action["domain"] = self._mychat_history_domain() if len(self) == 1 else [("lead_id", "in", self.ids)]
        action["context"] = {}
        return action

    def _handle_partner_assignment(self, force_partner_id=False, create_missing=True, with_parent=None):
        """Converting a lead to a customer carries its senders: their conversations (past and future)
        land on that customer."""
        res = super()._handle_partner_assignment(
            force_partner_id=force_partner_id, create_missing=create_missing, with_parent=with_parent
        )
        for lead in self.filtered("partner_id"):
            contacts = lead.sudo().mychat_conversation_ids.contact_id.filtered(lambda c: not c.partner_id)
            contacts.partner_id = lead.partner_id
        return res

    def _mychat_last_conversation(self):
        self.ensure_one()
        return self.env["mychat.conversation"].search(
            self._mychat_history_domain(), order="last_message_date desc, id desc", limit=1
        )

    def action_mychat_message_customer(self):
        """Open the conversation to write to this customer on the channel they last used: the current one,
        or the last one reopened. Where the channel has a reply window, it must still be open."""
        self.ensure_one()
        conversation = self._mychat_last_conversation()
        if not conversation:
            raise UserError(
                _("This customer has never written to us on a MyChat channel: nothing to continue.")
            )
        conversation._mychat_check_can_send()  # a clear UserError when the window is closed
        if conversation.state not in ACTIVE_STATES:
            conversation.action_reopen()
        if not conversation.lead_id:
            conversation.lead_id = self
        return conversation.action_open()
