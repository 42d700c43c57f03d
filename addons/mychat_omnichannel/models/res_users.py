from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    mychat_notify_sound = fields.Boolean(
        string="MyChat sound alerts",
        default=True,
        help="Play a sound with the popup of each new customer message, even while the tab is in front.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["mychat_notify_sound"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["mychat_notify_sound"]
