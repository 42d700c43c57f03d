from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MychatConversation(models.Model):
    """Service requests as helpdesk tickets (OCA helpdesk_mgmt): open one, or link an existing one."""

    _inherit = "mychat.conversation"

    mychat_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        "mychat_conversation_helpdesk_ticket_rel",
        "conversation_id",
        "ticket_id",
        string="Tickets",
        copy=False,
    )
    mychat_ticket_count = fields.Integer(compute="_compute_mychat_ticket_count", string="Tickets count")

    @api.depends("mychat_ticket_ids")
    def _compute_mychat_ticket_count(self):
        for conv in self:
            conv.mychat_ticket_count = len(conv.mychat_ticket_ids)

    def _mychat_default_helpdesk_team(self):
        self.ensure_one()
        return (self.company_id or self.env.company).mychat_helpdesk_team_id

    def _mychat_ticket_values(self, team, name=None):
        self.ensure_one()
        partner = self.partner_id
        channel = self.env.ref("mychat_helpdesk.helpdesk_ticket_channel_mychat", raise_if_not_found=False)
        return {
            "name": name or self._mychat_request_title(),
            "description": self._mychat_request_description(),
            "team_id": team.id,
            "partner_id": partner.id,
            "partner_name": partner.name or self.contact_id.name or False,
            "partner_email": partner.email or self.contact_id.email or False,
            "channel_id": channel.id if channel else False,
            "company_id": team.company_id.id or self.company_id.id or self.env.company.id,
            "mychat_conversation_ids": [fields.Command.link(self.id)],
        }

    def mychat_create_ticket(self, team_id=None, name=None):
        """Open a helpdesk ticket from this conversation (title, customer, collected data, transcript link)
        in ``team_id`` (default: the company's MyChat helpdesk team; a ticket may have no team). Returns
        the ticket id."""
        self.ensure_one()
        team = (
            self.env["helpdesk.ticket.team"].browse(team_id)
            if team_id
            else self._mychat_default_helpdesk_team()
        )
        if team_id and not team.exists():
            raise UserError(_("This helpdesk team does not exist (any more)."))
        ticket = self.env["helpdesk.ticket"].create(self._mychat_ticket_values(team, name))
        return ticket.id

    def mychat_link_ticket(self, ticket_id):
        """Link an existing ticket to this conversation. Returns True."""
        self.ensure_one()
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        if not ticket.exists():
            raise UserError(_("This ticket does not exist (any more)."))
        self.mychat_ticket_ids = [fields.Command.link(ticket.id)]
        return True

    def mychat_unlink_ticket(self, ticket_id):
        self.ensure_one()
        self.mychat_ticket_ids = [fields.Command.unlink(ticket_id)]
        return True

    def action_mychat_ticket_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Ticket from this conversation"),
            "res_model": "mychat.ticket.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_conversation_id": self.id},
        }

    def action_view_mychat_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_mgmt.helpdesk_ticket_action")
        action["domain"] = [("id", "in", self.mychat_ticket_ids.ids)]
        action["context"] = {"create": False}
        if len(self.mychat_ticket_ids) == 1:
            action.update(res_id=self.mychat_ticket_ids.id, view_mode="form", views=[(False, "form")])
        return action
