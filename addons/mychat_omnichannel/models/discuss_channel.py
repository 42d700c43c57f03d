from odoo import _, api, fields, models
from odoo.http import request

from odoo.addons.mail.tools.discuss import Store

from ..tools.inbound import InboundContact

# im_livechat member type of a message's author → mychat.message author_kind
AUTHOR_KINDS = {"visitor": "customer", "bot": "bot", "agent": "agent"}


class DiscussChannel(models.Model):
    """The Discuss thread of a conversation: a ``mychat`` channel for provider conversations, the session
    itself for website live chat (one conversation per session, nothing copied)."""

    _inherit = "discuss.channel"

    channel_type = fields.Selection(selection_add=[("mychat", "MyChat")], ondelete={"mychat": "cascade"})
    mychat_conversation_id = fields.Many2one(
        "mychat.conversation",
        string="MyChat conversation",
        index="btree_not_null",
        readonly=True,
        copy=False,
        groups="mychat_omnichannel.group_mychat_user",
    )

    def _types_allowing_seen_infos(self):
        return super()._types_allowing_seen_infos() + ["mychat"]

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def _mychat_is_agent_post(self, message_type, author_id, is_comment):
        """Whether a post is an agent's reply written in Discuss (then it goes out to the customer)."""
        return (
            self.channel_type == "mychat"
            and message_type == "comment"
            and is_comment
            and not self.env.context.get("mychat_wire")
            and self.env.user._is_internal()
            and author_id in (None, False, self.env.user.partner_id.id)
        )

    def message_post(self, *, message_type="notification", **kwargs):
        is_comment = kwargs.get("subtype_xmlid") in (None, False, "mail.mt_comment") and not kwargs.get(
            "subtype_id"
        )
        if len(self) == 1 and self._mychat_is_agent_post(message_type, kwargs.get("author_id"), is_comment):
            # the reply window and the channel's state are checked before anything is posted
            conversation = self.sudo().mychat_conversation_id
            if conversation:
                conversation.with_env(self.env)._mychat_check_can_send()
        return super().message_post(message_type=message_type, **kwargs)

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self.env.context.get("mychat_wire") or message.message_type != "comment":
            return result
        if self.channel_type == "mychat":
            conversation = self.sudo().mychat_conversation_id
            is_comment = message.subtype_id == self.env.ref("mail.mt_comment")
            if conversation and self._mychat_is_agent_post(
                message.message_type, message.author_id.id, is_comment
            ):
                conversation.with_env(self.env)._mychat_wire_from_discuss(message)
        elif self.channel_type == "livechat":
            self.sudo()._mychat_livechat_wire(message.sudo())
        return result

    # ------------------------------------------------------------------
    # Website live chat sessions
    # ------------------------------------------------------------------

    def _mychat_livechat_wire(self, message):
        """The wire record of one live chat message (visitor, bot or operator), for the conversation's
        dates and measures; the transcript stays the session's own messages."""
        self.ensure_one()
        if not message.body and not message.attachment_ids:
            return self.env["mychat.message"]
        conversation = self._mychat_conversation()
        return conversation._mychat_wire_from_discuss(message)

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
        """The session's conversation, created on its first message with the visitor's context; its
        Discuss thread is the session itself."""
        self.ensure_one()
        if self.mychat_conversation_id:
            return self.mychat_conversation_id
        channel = self.env["mychat.channel"]._mychat_livechat_channel(self.env.company)
        contact = self.env["mychat.contact"]._mychat_find_or_create(channel, self._mychat_visitor())
        conversation = (
            self.env["mychat.conversation"]
            .with_context(mychat_session_channel_id=self.id)
            ._mychat_open_for(channel, contact, f"discuss.channel:{self.id}")
        )
        self.mychat_conversation_id = conversation
        if conversation.discuss_channel_id != self:
            conversation.discuss_channel_id = self
            conversation._mychat_sync_members()
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

    # ------------------------------------------------------------------
    # Web client
    # ------------------------------------------------------------------

    def _to_store_defaults(self, target: Store.Target):
        res = super()._to_store_defaults(target)
        if target.is_internal(self.env):
            res.append("mychat_info")
        return res

    def _to_store(self, store: Store, fields):
        super()._to_store(store, [f for f in fields if f != "mychat_info"])
        if "mychat_info" not in fields:
            return
        # sudo: the conversation of a channel the user can read is summarised for the composer
        for channel in self.sudo().filtered("mychat_conversation_id"):
            store.add(channel.with_env(self.env), channel.mychat_conversation_id._mychat_store_values())

    @api.model
    def _mychat_store_class(self):
        return Store

    @api.model
    def _mychat_bus_info(self, conversations):
        """Push the conversations' summary (state, window, ...) to their channels' members."""
        for conversation in conversations.sudo().filtered("discuss_channel_id"):
            channel = conversation.discuss_channel_id
            Store(bus_channel=channel).add(channel, conversation._mychat_store_values()).bus_send()
