from odoo import fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def action_mychat_start_conversation(self):
        """The "Start a conversation" wizard for these leads' customers."""
        return self.env["mychat.start.conversation"]._mychat_action(leads=self)

    def action_mychat_message_customer(self):
        """Once the reply window is closed (or the customer never wrote), offer a template instead of
        refusing."""
        self.ensure_one()
        conversation = self._mychat_last_conversation()
        if conversation and conversation.partner_id:
            try:
                conversation._mychat_check_can_send()
            except UserError:
                if conversation.window_expires_at and conversation.window_expires_at > fields.Datetime.now():
                    raise  # not a window question (opted out, archived channel): say why
                return self.env["mychat.start.conversation"]._mychat_action(
                    leads=self, channel=conversation.channel_id
                )
        elif not conversation and (self.partner_id or self.phone):
            return self.env["mychat.start.conversation"]._mychat_action(leads=self)
        return super().action_mychat_message_customer()
