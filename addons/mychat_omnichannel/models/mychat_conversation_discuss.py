"""The Discuss side of mychat.conversation: its channel, the transcript as mail.message, membership that
follows assignment, and the summary the web client shows on the channel."""

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import html2plaintext, plaintext2html


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    # ------------------------------------------------------------------
    # The channel
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        session_id = self.env.context.get("mychat_session_channel_id")
        if session_id:
            for vals in vals_list:
                vals.setdefault("discuss_channel_id", session_id)
        conversations = super(MychatConversation, self.with_context(mail_create_nosubscribe=True)).create(
            vals_list
        )
        conversations = conversations.with_env(self.env)
        conversations.filtered(
            lambda c: not c.discuss_channel_id and c.channel_type != "livechat"
        )._mychat_create_discuss_channel()
        conversations._mychat_sync_members()
        return conversations

    def write(self, vals):
        previous = {conv.id: conv.user_id for conv in self} if "user_id" in vals else None
        res = super().write(vals)
        if previous is not None:
            for conv in self:
                conv._mychat_sync_members(previous=previous[conv.id])
        if {"state", "last_inbound_date", "partner_id", "contact_id"} & set(vals):  # _mychat_store_values'
            self.env["discuss.channel"]._mychat_bus_info(self)
        return res

    def _mychat_discuss_name(self):
        self.ensure_one()
        return self.partner_id.name or self.contact_id.name or self.contact_id.display_name or _("Customer")

    def _mychat_create_discuss_channel(self):
        # Discuss makes the creating user a member (and tells them on the bus) unless it creates from data
        # files (install_mode, read by discuss.channel.create only); membership follows assignment instead
        Channel = self.env["discuss.channel"].sudo().with_context(mail_create_nolog=True, install_mode=True)
        for conv in self:
            channel = Channel.create(
                {
                    "name": conv._mychat_discuss_name(),
                    "channel_type": "mychat",
                    "description": conv.channel_id.name,
                    "mychat_conversation_id": conv.id,
                }
            )
            conv.discuss_channel_id = channel.with_env(self.env)

    def _mychat_member_users(self):
        """The internal users who belong in the conversation's channel: the assigned agent (live_routing
        adds the invited colleagues)."""
        self.ensure_one()
        return self.user_id.filtered(lambda u: not u.share)

    def _mychat_sync_members(self, previous=None):
        """Make the channel's members follow assignment: the agent (and invited colleagues) join, the
        previous agent leaves a MyChat channel on transfer (a live chat session keeps its operators)."""
        for conv in self.filtered("discuss_channel_id"):
            channel = conv.discuss_channel_id.sudo()
            wanted = conv._mychat_member_users().partner_id
            members = channel.channel_member_ids
            missing = wanted - members.partner_id
            if missing:
                channel._add_members(partners=missing, post_joined_message=False)
            if previous and channel.channel_type == "mychat":
                members.filtered(
                    lambda m, wanted=wanted: (
                        m.partner_id in previous.partner_id and m.partner_id not in wanted
                    )
                ).unlink()

    def _mychat_store_values(self):
        """What the web client shows on the conversation's channel (see readme/DISCUSS.md)."""
        self.ensure_one()
        return {
            "mychat_conversation_id": self.id,
            "mychat_channel_type": self.channel_type,
            "mychat_channel_name": self.channel_id.name,
            "mychat_state": self.state,
            "mychat_window_expires_at": fields.Datetime.to_string(self.window_expires_at)
            if self.window_expires_at
            else False,
            "mychat_window_open": self._mychat_window_open(),
            "mychat_composer_features": list(self.channel_id._mychat_composer_features()),
            "mychat_partner_id": self.partner_id.id or False,
        }

    # ------------------------------------------------------------------
    # The transcript
    # ------------------------------------------------------------------

    def _mychat_register(self, message):
        if (
            not message.mail_message_id
            and self.discuss_channel_id
            and not self.env.context.get("mychat_no_post")
        ):
            self._mychat_post_to_discuss(message)
        return super()._mychat_register(message)

    def _mychat_discuss_author(self, message):
        """(author partner, email_from) of a wire message in the channel: the customer's partner (else
        no partner, the contact's name), the agent, or OdooBot for bots and system messages."""
        if message.author_kind == "customer":
            if self.partner_id:
                return self.partner_id, None
            return self.env["res.partner"], self.contact_id.name or self.contact_id.display_name
        if message.author_kind == "agent":
            user = message.author_user_id or self.env.user
            return user.partner_id, None
        return self.env.ref("base.partner_root"), None

    def _mychat_post_to_discuss(self, message):
        """Post a wire message in the conversation's channel and link them."""
        self.ensure_one()
        channel = self.discuss_channel_id.sudo()
        author, email_from = self._mychat_discuss_author(message)
        values = {
            "body": plaintext2html(message.body) if message.body else "",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
            "author_id": author.id or False,
            "attachment_ids": message.attachment_ids.ids,
            "date": message.date,
        }
        if email_from is not None:
            values["email_from"] = email_from
        if message.reply_to_id.mail_message_id:
            values["parent_id"] = message.reply_to_id.mail_message_id.id
        posted = channel.with_context(mychat_wire=True, mail_post_autofollow_author_skip=True).message_post(
            **values
        )
        message.sudo().mail_message_id = posted
        return posted

    def _mychat_wire_from_discuss(self, mail_message):
        """The wire record(s) of a message written in Discuss: an agent's reply in a MyChat channel (queued,
        sent after commit), any message of a live chat session (already delivered by the session)."""
        self.ensure_one()
        Message = self.env["mychat.message"].sudo()
        body = html2plaintext(mail_message.body or "").strip()
        attachments = mail_message.attachment_ids
        if not body and not attachments:
            return Message
        parent = mail_message.parent_id and Message.search(
            [("mail_message_id", "=", mail_message.parent_id.id)], limit=1
        )
        conv = self.with_context(mychat_no_post=True)
        if self.channel_type == "livechat":
            session = self.discuss_channel_id.sudo()
            author_kind = session._mychat_author_kind(mail_message)
            inbound = author_kind == "customer"
            message = Message.create(
                {
                    "conversation_id": self.id,
                    "mail_message_id": mail_message.id,
                    "direction": "inbound" if inbound else "outbound",
                    "author_kind": author_kind,
                    "author_user_id": mail_message.author_id.user_ids[:1].id
                    if author_kind == "agent"
                    else False,
                    "external_id": f"mail.message:{mail_message.id}",
                    "body": body,
                    "attachment_ids": [fields.Command.set(attachments.ids)],
                    "date": mail_message.date or fields.Datetime.now(),
                    "state": "received" if inbound else "sent",
                    "reply_to_id": parent.id if parent else False,
                }
            )
            conv.sudo()._mychat_register(message)
            return message
        user = mail_message.author_id.user_ids.filtered(lambda u: not u.share)[:1] or self.env.user
        parts = self.channel_id._mychat_split_outbound(body, attachments)
        messages = Message.create(
            [
                {
                    "conversation_id": self.id,
                    "mail_message_id": mail_message.id,
                    "direction": "outbound",
                    "author_kind": "agent",
                    "author_user_id": user.id,
                    "body": part_body or False,
                    "attachment_ids": [fields.Command.set(part_attachments.ids)],
                    "reply_to_id": (parent.id if parent else False) if index == 0 else False,
                    "date": fields.Datetime.now(),
                    "state": "queued",
                }
                for index, (part_body, part_attachments) in enumerate(parts)
            ]
        )
        if not self.user_id:
            self.sudo().user_id = user
        for message in messages:
            conv.sudo()._mychat_register(message)
        messages._mychat_schedule_send()
        return messages

    # ------------------------------------------------------------------
    # Edits and reactions on the provider's side
    # ------------------------------------------------------------------

    def _mychat_discuss_edit(self, message, deleted=False):
        """Show a provider-side edit or deletion on the message in Discuss."""
        mail_message = message.sudo().mail_message_id
        if not mail_message or not self.discuss_channel_id:
            return
        channel = self.discuss_channel_id.sudo()
        body = Markup("<p><i>%s</i></p>") % message.body if deleted else plaintext2html(message.body or "")
        channel._message_update_content(
            mail_message, body=body, attachment_ids=[] if deleted else None, strict=False
        )

    def _mychat_discuss_reaction(self, message, old, new):
        """Mirror the customer's reaction on the message in Discuss (as their partner, once identified)."""
        mail_message = message.sudo().mail_message_id
        partner = self.partner_id
        if not mail_message or not partner:
            return
        guest = self.env["mail.guest"]
        if old and old != new:
            mail_message._message_reaction(old, "remove", partner, guest)
        if new:
            mail_message._message_reaction(new, "add", partner, guest)
