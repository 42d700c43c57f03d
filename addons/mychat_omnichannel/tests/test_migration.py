from datetime import datetime

from markupsafe import Markup

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMigrationToDiscuss(TransactionCase):
    """19.0.1 databases: conversations with their transcript in mychat.message only and notes in the
    mychat_note table get their Discuss channel, one mail.message per message and chatter notes."""

    def _old_conversation(self):
        """A conversation as 19.0.1 stored it, built with SQL: no channel, no mail.message."""
        channel = self.env["mychat.channel"].create({"name": "Old WhatsApp", "channel_type": "whatsapp"})
        contact = self.env["mychat.contact"].create(
            {"channel_id": channel.id, "external_id": "972500000001", "name": "Old Customer"}
        )
        conv = self.env["mychat.conversation"].create({"channel_id": channel.id, "contact_id": contact.id})
        conv.discuss_channel_id.unlink()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mychat_conversation SET discuss_channel_id = NULL WHERE id = %s", [conv.id]
        )
        attachment = self.env["ir.attachment"].create(
            {"name": "photo.jpg", "raw": b"jpeg", "res_model": "mychat.conversation", "res_id": conv.id}
        )
        rows = [
            (
                "wamid.OLD1",
                "inbound",
                "customer",
                "Hello from 2025",
                "received",
                datetime(2025, 5, 1, 9, 0, 0),
            ),
            (False, "outbound", "agent", "Hi, how can I help?", "read", datetime(2025, 5, 1, 9, 1, 0)),
            (False, "outbound", "agent", "Still there?", "failed", datetime(2025, 5, 1, 9, 30, 0)),
        ]
        ids = []
        for external_id, direction, author_kind, body, state, date in rows:
            self.env.cr.execute(
                """
                INSERT INTO mychat_message (conversation_id, channel_id, direction, author_kind, external_id,
                                            body, message_type, date, state, failure_reason, send_attempts)
                VALUES (%s, %s, %s, %s, %s, %s, 'text', %s, %s, %s, 0) RETURNING id
                """,
                [
                    conv.id,
                    channel.id,
                    direction,
                    author_kind,
                    external_id or None,
                    body,
                    date,
                    state,
                    "Re-engagement message" if state == "failed" else None,
                ],
            )
            ids.append(self.env.cr.fetchone()[0])
        self.env.cr.execute(
            "INSERT INTO ir_attachment_mychat_message_rel (mychat_message_id, ir_attachment_id) "
            "VALUES (%s, %s)",
            [ids[0], attachment.id],
        )
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS mychat_note (
                id serial PRIMARY KEY, conversation_id int, company_id int, author_id int, body text,
                date timestamp)
            """
        )
        self.env.cr.execute(
            "INSERT INTO mychat_note (conversation_id, author_id, body, date) VALUES (%s, %s, %s, %s)",
            [conv.id, self.env.user.id, "Prefers WhatsApp", datetime(2025, 5, 1, 9, 2, 0)],
        )
        self.env.invalidate_all()
        return conv, self.env["mychat.message"].browse(ids), attachment

    def test_migration_keeps_every_message(self):
        conv, messages, attachment = self._old_conversation()
        self.assertFalse(conv.discuss_channel_id)
        migrated = self.env["mychat.conversation"]._mychat_migrate_to_discuss()
        self.assertIn(conv, migrated)
        channel = conv.discuss_channel_id
        self.assertEqual(channel.channel_type, "mychat")
        self.assertEqual(channel.mychat_conversation_id, conv)
        self.assertEqual(messages.mapped("state"), ["received", "read", "failed"], "states kept")
        self.assertEqual(messages[2].failure_reason, "Re-engagement message")
        posted = messages.mail_message_id
        self.assertEqual(len(posted), 3, "one mail.message per message")
        self.assertEqual(set(posted.mapped("res_id")), {channel.id})
        for message in messages:
            self.assertEqual(message.mail_message_id.date, message.date, "dates kept")
            self.assertEqual(message.mail_message_id.body, Markup("<p>%s</p>") % message.body)
        self.assertEqual(messages[0].mail_message_id.attachment_ids, attachment, "attachments kept")
        self.assertEqual(messages[0].attachment_ids, attachment)
        self.assertEqual(messages[0].mail_message_id.email_from, "Old Customer")
        self.assertEqual(messages[1].mail_message_id.author_id, self.env.ref("base.partner_root"))
        note = conv._mychat_notes()
        self.assertEqual(note.body, Markup("<p>Prefers WhatsApp</p>"))
        self.assertEqual(note.author_id, self.env.user.partner_id)
        self.assertEqual(note.date, datetime(2025, 5, 1, 9, 2, 0))
        # running it again changes nothing
        self.env["mychat.conversation"]._mychat_migrate_to_discuss()
        self.assertEqual(len(conv._mychat_notes()), 1)
        self.assertEqual(messages.mail_message_id, posted)
        self.assertEqual(conv.discuss_channel_id, channel)
