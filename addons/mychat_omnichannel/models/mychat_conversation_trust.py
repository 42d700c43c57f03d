"""Trust on the hub record: files handed in are checked against the user's own rights, invitations are
recorded (they open team-private inboxes), and conversations only go to internal users."""

import dataclasses

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.pipeline import pipeline


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    mychat_invited_user_ids = fields.Many2many(
        "res.users", "mychat_conversation_invited_user_rel", string="Invited colleagues"
    )

    def send_reply(self, body, attachment_ids=None, reply_to_id=None, buttons=None):
        self.env["ir.attachment"]._mychat_check_handed_in([attachment_ids or []])
        return super().send_reply(
            body, attachment_ids=attachment_ids, reply_to_id=reply_to_id, buttons=buttons
        )

    @api.model
    def _mychat_ingest(self, channel, item):
        return super(MychatConversation, pipeline(self))._mychat_ingest(channel, _without_nul(item))

    def _mychat_check_internal(self, users):
        if any(user.share for user in users.sudo()):
            raise ValidationError(
                self.env._("Conversations go to internal users only: not to portal or public users.")
            )

    @api.constrains("user_id", "mychat_invited_user_ids")
    def _check_mychat_internal_users(self):
        for conv in self:
            self._mychat_check_internal(conv.user_id | conv.mychat_invited_user_ids)

    def mychat_transfer(self, user_id):
        self._mychat_check_internal(self.env["res.users"].browse(user_id))
        return super().mychat_transfer(user_id)

    def mychat_invite(self, user_id):
        user = self.env["res.users"].browse(user_id)
        self._mychat_check_internal(user)
        res = super().mychat_invite(user_id)
        self.mychat_invited_user_ids = [fields.Command.link(user.id)]
        return res


def _without_nul(item):
    """The item with NUL characters (a JSON ``\\u0000``) dropped from its texts: PostgreSQL cannot store
    them, and the message must not be lost for it."""
    if not dataclasses.is_dataclass(item):
        return item
    changes = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if isinstance(value, str) and "\x00" in value:
            changes[field.name] = value.replace("\x00", "")
        elif dataclasses.is_dataclass(value):
            cleaned = _without_nul(value)
            if cleaned is not value:
                changes[field.name] = cleaned
    return dataclasses.replace(item, **changes) if changes else item
