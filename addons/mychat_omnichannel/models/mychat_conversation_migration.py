"""Upgrade from 19.0.1 (transcript in mychat.message only, notes in mychat.note) to Discuss threads."""

import logging

from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL, plaintext2html

_logger = logging.getLogger(__name__)


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    @api.model
    def _mychat_migrate_to_discuss(self):
        """Give every conversation without a Discuss thread its channel and messages; idempotent."""
        conversations = self.with_context(active_test=False).search([("discuss_channel_id", "=", False)])
        for conv in conversations:
            conv._mychat_migrate_one()
        self._mychat_migrate_notes()
        _logger.info("MyChat: %s conversations moved to Discuss", len(conversations))
        return conversations

    def _mychat_migrate_one(self):
        self.ensure_one()
        Message = self.env["mychat.message"]
        if self.channel_type == "livechat":
            session = (
                self.env["discuss.channel"].sudo().search([("mychat_conversation_id", "=", self.id)], limit=1)
            )
            if not session:
                return
            self.discuss_channel_id = session
            # the copies were keyed by the session's message id: link them to it
            for message in Message.search(
                [("conversation_id", "=", self.id), ("mail_message_id", "=", False)]
            ):
                ref = (message.external_id or "").removeprefix("mail.message:")
                if ref.isdigit() and self.env["mail.message"].browse(int(ref)).exists():
                    message.mail_message_id = int(ref)
            return
        self._mychat_create_discuss_channel()
        channel = self.discuss_channel_id
        subtype = self.env.ref("mail.mt_comment")
        for message in Message.search([("conversation_id", "=", self.id), ("mail_message_id", "=", False)]):
            author, email_from = self._mychat_discuss_author(message)
            values = {
                "model": "discuss.channel",
                "res_id": channel.id,
                "message_type": "comment",
                "subtype_id": subtype.id,
                "body": plaintext2html(message.body) if message.body else "",
                "author_id": author.id or False,
                "date": message.date,
                "attachment_ids": [(6, 0, message.attachment_ids.ids)],
                "parent_id": message.reply_to_id.mail_message_id.id or False,
            }
            if email_from is not None:
                values["email_from"] = email_from
            # created directly: an upgrade notifies nobody
            message.mail_message_id = self.env["mail.message"].sudo().create(values)
        if channel:
            channel.last_interest_dt = self.last_message_date or channel.create_date
        self._mychat_sync_members()

    @api.model
    def _mychat_migrate_notes(self):
        """mychat.note rows (the model is gone, its table stays until the update ends) → chatter notes."""
        cr = self.env.cr
        cr.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'mychat_note'")
        if not cr.fetchone():
            return
        cr.execute(
            SQL(
                """
                SELECT n.id, n.conversation_id, u.partner_id, n.body, n.date
                  FROM mychat_note n
                  LEFT JOIN res_users u ON u.id = n.author_id
                 WHERE NOT EXISTS (
                    SELECT 1 FROM mail_message m
                     WHERE m.model = 'mychat.conversation' AND m.res_id = n.conversation_id
                       AND m.message_id = 'mychat.note.' || n.id)
                 ORDER BY n.id
                """
            )
        )
        rows = cr.fetchall()
        note_subtype = self.env.ref("mail.mt_note")
        root = self.env.ref("base.partner_root")
        vals_list = [
            {
                "model": "mychat.conversation",
                "res_id": conversation_id,
                "message_type": "comment",
                "subtype_id": note_subtype.id,
                "is_internal": True,
                "body": plaintext2html(body or "") if not isinstance(body, Markup) else body,
                "author_id": partner_id or root.id,
                "date": date,
                "message_id": f"mychat.note.{note_id}",
            }
            for note_id, conversation_id, partner_id, body, date in rows
        ]
        if vals_list:
            self.env["mail.message"].sudo().create(vals_list)
