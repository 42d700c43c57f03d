from odoo import _, models

from ..tools.provider_error import ProviderError


class MychatChannel(models.Model):
    """Website live chat: a session is a conversation whose Discuss thread is the session (see
    discuss_channel.py)."""

    _inherit = "mychat.channel"

    def _mychat_livechat_channel(self, company):
        """The company's live chat channel, created on first use."""
        channel = self.sudo().search(
            [("channel_type", "=", "livechat"), ("company_id", "=", company.id)],
            order="active desc, id",
            limit=1,
        )
        return channel or self.sudo().create(
            {"name": _("Website live chat"), "channel_type": "livechat", "company_id": company.id}
        )

    def _mychat_receives_webhooks(self):
        if self.channel_type != "livechat":
            return super()._mychat_receives_webhooks()
        return False  # its messages come from discuss.channel, never from a webhook

    def _mychat_send(self, message):
        if self.channel_type != "livechat":
            return super()._mychat_send(message)
        return self._livechat_send(message)

    def _livechat_send(self, message):
        """Nothing to call: a reply is delivered by being posted in the session (its Discuss thread)."""
        if not message.mail_message_id:
            raise ProviderError(_("This reply is not in the live chat session."), "permanent")
        return f"mail.message:{message.mail_message_id.id}"
