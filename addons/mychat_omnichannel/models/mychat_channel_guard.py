"""Where a channel's credentials go is for system administrators only, at the model level: the fields
that carry a credential or decide the host it is sent to, and the actions that change them."""

import time

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..controllers.media import media_signature
from .mychat_channel import DEFAULT_API_BASE_URLS

# a credential, or where one is sent / where the provider is told to call
CREDENTIAL_FIELDS = frozenset(
    {"api_base_url", "public_url", "secret", "verify_token", "access_token", "webhook_token"}
)


class MychatChannel(models.Model):
    _inherit = "mychat.channel"

    def _mychat_check_system(self):
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(
                _("Only system administrators change a channel's credentials, API address or webhook.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            given = {name for name in CREDENTIAL_FIELDS.intersection(vals) if vals[name]}
            # a manager may create a channel on the provider's own API root; credentials come from an admin
            if given == {"api_base_url"} and vals["api_base_url"] in DEFAULT_API_BASE_URLS.values():
                given = set()
            if given:
                self._mychat_check_system()
        return super().create(vals_list)

    def write(self, vals):
        touched = [
            name for name in CREDENTIAL_FIELDS.intersection(vals) if vals[name] or self.sudo().filtered(name)
        ]
        if touched:
            self._mychat_check_system()
        return super().write(vals)

    def action_regenerate_token(self):
        self._mychat_check_system()
        super().action_regenerate_token()
        return True

    def action_telegram_set_webhook(self):
        self._mychat_check_system()
        return super().action_telegram_set_webhook()

    def _mychat_public_attachment_url(self, attachment):
        """An expiring link (``mychat.media_link_minutes``, default 60), not a permanent access token."""
        try:
            minutes = int(self.env["ir.config_parameter"].sudo().get_param("mychat.media_link_minutes", 60))
        except ValueError:
            minutes = 60
        expires = int(time.time()) + max(minutes, 1) * 60
        signature = media_signature(self.env, attachment.id, expires)
        return f"{self.get_base_url()}/mychat/media/{attachment.id}/{expires}/{signature}"
