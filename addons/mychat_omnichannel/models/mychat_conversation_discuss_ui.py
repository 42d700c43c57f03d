from odoo import models


class MychatConversation(models.Model):
    """The web client side of a conversation living in Discuss: the chat-first view's data and the
    templates the Discuss composer offers outside the reply window."""

    _inherit = "mychat.conversation"

    def mychat_discuss_templates(self):
        """The approved templates usable on this conversation's channel, for the composer."""
        self.ensure_one()
        return [
            {
                "id": t.id,
                "name": t.name,
                "lang": t.lang or "",
                "body": t.body,
                "variable_count": t.variable_count,
            }
            for t in self.env["mychat.template"]._mychat_usable_for(self.channel_id)
        ]

    def mychat_chat_first_data(self):
        """Everything the chat-first conversation view shows beside the Discuss thread, in one call."""
        self.ensure_one()
        channel = self.sudo().discuss_channel_id if "discuss_channel_id" in self._fields else False
        return {
            "id": self.id,
            "discuss_channel_id": channel.id if channel else False,
            "state": self.state,
            "channel_name": self.channel_id.name,
            "channel_type": self.channel_type,
            "awaiting_reply_since": self.awaiting_reply_since,
            "user_id": self.user_id.id,
            "customer": self._mychat_customer_panel(),
            "agents": [
                {"id": user.id, "name": user.name}
                for user in self.env.ref("mychat_omnichannel.group_mychat_user").all_user_ids.filtered(
                    lambda u: u.active and not u.share and u != self.env.user
                )
            ],
        }
