from odoo import models


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    def _mychat_ui_conversation(self):
        """The MyChat conversation of this channel, if any."""
        self.ensure_one()
        Conversation = self.env["mychat.conversation"]
        if "discuss_channel_id" not in Conversation._fields:
            return Conversation
        return Conversation.sudo().search([("discuss_channel_id", "=", self.id)], limit=1)
