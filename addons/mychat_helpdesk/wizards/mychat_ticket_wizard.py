from odoo import api, fields, models


class MychatTicketWizard(models.TransientModel):
    """Open a helpdesk ticket from a conversation, or link an existing ticket."""

    _name = "mychat.ticket.wizard"
    _description = "MyChat: ticket from a conversation"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="conversation_id.partner_id")
    mode = fields.Selection(
        [("create", "Create a new ticket"), ("link", "Link an existing ticket")],
        default="create",
        required=True,
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Helpdesk team", compute="_compute_team_id", store=True, readonly=False
    )
    name = fields.Char(string="Title", compute="_compute_name", store=True, readonly=False)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket")
    remember_team = fields.Boolean(
        string="Default team", help="Use this team for the next tickets from conversations."
    )

    @api.depends("conversation_id")
    def _compute_team_id(self):
        for wizard in self:
            wizard.team_id = wizard.conversation_id and wizard.conversation_id._mychat_default_helpdesk_team()

    @api.depends("conversation_id")
    def _compute_name(self):
        for wizard in self:
            wizard.name = wizard.conversation_id and wizard.conversation_id._mychat_request_title()

    def action_confirm(self):
        self.ensure_one()
        conversation = self.conversation_id
        if self.mode == "link":
            conversation.mychat_link_ticket(self.ticket_id.id)
            ticket_id = self.ticket_id.id
        else:
            ticket_id = conversation.mychat_create_ticket(self.team_id.id or None, self.name)
            if self.remember_team:
                (conversation.company_id or self.env.company).sudo().mychat_helpdesk_team_id = self.team_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": ticket_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
