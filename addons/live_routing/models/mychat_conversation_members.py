from odoo import models


class MychatConversation(models.Model):
    """Invited colleagues are members of the conversation's Discuss channel too."""

    _inherit = "mychat.conversation"

    def _mychat_member_users(self):
        return (super()._mychat_member_users() | self.mychat_invited_user_ids).filtered(lambda u: not u.share)

    def write(self, vals):
        res = super().write(vals)
        if "mychat_invited_user_ids" in vals:
            self._mychat_sync_members()
        return res
