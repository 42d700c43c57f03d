import logging

from odoo import _, fields, models
from odoo.http import request
from odoo.tools import html2plaintext

from ..tools.inbound import InboundContact, InboundMessage

_logger = logging.getLogger(__name__)

# im_livechat member type of a message's author → mychat.message author_kind
AUTHOR_KINDS = {"visitor": "customer", "bot": "bot", "agent": "agent"}


class DiscussChannel(models.Model):
    """Website live chat sessions mirrored as MyChat conversations (one per session), message by message."""

    _inherit = "discuss.channel"

    mychat_conversation_id = fields.Many2one(
        "mychat.conversation",
        string="MyChat conversation",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="mychat_omnichannel.group_mychat_user",
    )

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        # replies written in MyChat are posted with mychat_no_sync: they already exist there
        if self.channel_type == "livechat" and not self.env.context.get("mychat_no_sync"):
            self.sudo()._mychat_safely(lambda: self.sudo()._mychat_sync_message(message.sudo()), "copy")
        return result

    def _mychat_safely(self, action, what):
        """MyChat never breaks the live chat: a failure is logged and its partial work rolled back."""
        try:
            with self.env.cr.savepoint():
                return action()
        except Exception:  # the visitor's message is posted whatever happens here
            _logger.exception("MyChat: %s failed for live chat session %s", what, self.id)
            return None

    def _mychat_sync_message(self, message):
        """Copy one live chat message into the session's MyChat conversation."""
        self.ensure_one()
        if message.message_type in ("notification", "user_notification"):
            return self.env["mychat.message"]
        body = html2plaintext(message.body or "").strip()
        if not body and not message.attachment_ids:
            return self.env["mychat.message"]
        conversation = self._mychat_conversation()
        author_kind = self._mychat_author_kind(message)
        mychat_message = self.env["mychat.conversation"]._mychat_ingest(
            conversation.channel_id,
            InboundMessage(
                external_id=f"mail.message:{message.id}",
                contact=self._mychat_visitor(),
                date=message.date or fields.Datetime.now(),
                body=body,
                direction="inbound" if author_kind == "customer" else "outbound",
                author_kind=author_kind,
                thread_key=conversation.external_thread_id,
            ),
        )
        extra = {}
        if author_kind == "agent":
            extra["author_user_id"] = message.author_id.user_ids[:1].id
        if message.attachment_ids:
            copies = [
                a.copy({"res_model": "mychat.conversation", "res_id": conversation.id}).id
                for a in message.attachment_ids
            ]
            extra["attachment_ids"] = [fields.Command.set(copies)]
        if extra:
            mychat_message.write(extra)
        return mychat_message

    def _mychat_author_kind(self, message):
        history = self.livechat_channel_member_history_ids.filtered(
            lambda h: (
                h.partner_id == message.author_id
                if message.author_id
                else h.guest_id == message.author_guest_id
            )
        )[:1]
        if history.livechat_member_type:
            return AUTHOR_KINDS[history.livechat_member_type]
        if message.author_id == self.env.ref("base.partner_root"):
            return "system"
        if message.author_id.user_ids and message.author_id.user_ids[0]._is_internal():
            return "agent"
        return "customer"

    def _mychat_visitor(self):
        """The visitor as a MyChat sender: the guest, or the logged-in partner (then already identified)."""
        self.ensure_one()
        visitor = self.livechat_channel_member_history_ids.filtered(
            lambda h: h.livechat_member_type == "visitor"
        )[:1]
        guest = visitor.guest_id or self.channel_member_ids.guest_id[:1]
        if guest:
            return InboundContact(external_id=f"guest:{guest.id}", name=guest.name or "")
        partner = visitor.partner_id
        if partner:
            return InboundContact(
                external_id=f"partner:{partner.id}",
                name=partner.name or "",
                email=partner.email or "",
                phone=partner.phone or "",
                values={"partner_id": partner.id},
            )
        return InboundContact(external_id=f"livechat:{self.id}", name=self.name or "")

    def _mychat_conversation(self):
        """The session's conversation, created on its first message with the visitor's context."""
        self.ensure_one()
        if self.mychat_conversation_id:
            return self.mychat_conversation_id
        channel = self.env["mychat.channel"]._mychat_livechat_channel(self.env.company)
        contact = self.env["mychat.contact"]._mychat_find_or_create(channel, self._mychat_visitor())
        conversation = self.env["mychat.conversation"]._mychat_open_for(
            channel, contact, f"discuss.channel:{self.id}"
        )
        self.mychat_conversation_id = conversation
        conversation.subject = conversation.subject or self.livechat_channel_id.name
        self.env["mychat.conversation.data"]._mychat_upsert(
            conversation, self._mychat_visitor_context(), "visitor"
        )
        return conversation

    def _mychat_visitor_context(self):
        """(key, label, value) rows describing where and how the visitor started the chat."""
        rows = []
        if request:
            headers = request.httprequest.headers
            rows += [
                ("visitor_page_url", _("Page URL"), headers.get("Referer")),
                ("visitor_ip", _("IP address"), request.httprequest.remote_addr),
                ("visitor_user_agent", _("Browser"), headers.get("User-Agent")),
            ]
        rows += [
            ("visitor_country", _("Country"), self.country_id.name),
            ("visitor_language", _("Language"), self.livechat_lang_id.name),
        ]
        return [row for row in rows if row[2]]
