from odoo import fields, models


class MychatLeadRule(models.Model):
    _inherit = "mychat.lead.rule"

    rule_type = fields.Selection(
        selection_add=[("ticket", "Helpdesk ticket")], ondelete={"ticket": "set default"}
    )
    mychat_helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team", string="Helpdesk team", help="Empty: the company's MyChat helpdesk team."
    )

    def _mychat_apply_service(self, conversation, message):
        if self.rule_type != "ticket":
            return super()._mychat_apply_service(conversation, message)
        conversation = conversation.sudo()
        open_ticket = conversation.mychat_ticket_ids.filtered(lambda t: not t.closed)[:1]
        if open_ticket:
            return open_ticket
        team = self.sudo().mychat_helpdesk_team_id or conversation._mychat_default_helpdesk_team()
        ticket = self.env["helpdesk.ticket"].sudo().browse(conversation.mychat_create_ticket(team.id or None))
        if self.user_id:
            ticket.user_id = self.user_id
        return ticket
