from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Conversations of 19.0.1 get their Discuss thread: channel, one mail.message per wire message
    (date, attachments and delivery state kept on the wire record) and their notes as chatter notes."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["mychat.conversation"]._mychat_migrate_to_discuss()
