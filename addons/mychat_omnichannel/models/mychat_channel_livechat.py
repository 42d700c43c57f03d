from odoo import _, models
from odoo.tools import plaintext2html

from ..tools.provider_error import ProviderError


class MychatChannel(models.Model):
    """Website live chat: conversations mirror discuss.channel sessions (see discuss_channel.py)."""

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
        """Post a reply written in MyChat into the visitor's live chat session (not synced back)."""
        session = (
            self.env["discuss.channel"]
            .sudo()
            .search([("mychat_conversation_id", "=", message.conversation_id.id)], limit=1)
        )
        if not session:
            raise ProviderError(_("This conversation has no live chat session."), "permanent")
        if session.livechat_end_dt:
            raise ProviderError(_("The visitor has left this live chat session."), "permanent")
        if message.author_kind == "agent":
            author = message.author_user_id.partner_id or self.env.user.partner_id
        else:
            author = self.env.ref("base.partner_root")
        attachments = [
            a.copy({"res_model": "discuss.channel", "res_id": session.id}).id for a in message.attachment_ids
        ]
        posted = session.with_context(
            mychat_no_sync=True, mail_post_autofollow_author_skip=True
        ).message_post(
            author_id=author.id,
            body=plaintext2html(message.body or ""),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachment_ids=attachments,
        )
        return f"mail.message:{posted.id}"
