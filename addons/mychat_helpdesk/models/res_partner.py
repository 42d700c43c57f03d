from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    mychat_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        compute="_compute_mychat_ticket_ids",
        string="Tickets from conversations",
        help="Tickets opened from or linked to the conversations of this customer and its contacts.",
        groups="mychat_omnichannel.group_mychat_user",
    )

    def _compute_mychat_ticket_ids(self):
        Ticket = self.env["helpdesk.ticket"]
        for partner in self:
            partner.mychat_ticket_ids = (
                Ticket.search(
                    [("mychat_conversation_ids", "any", partner._mychat_family_conversation_domain())],
                    order="id desc",
                )
                if partner.id
                else Ticket
            )
