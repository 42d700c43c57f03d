from odoo import models


class ImLivechatChannel(models.Model):
    _inherit = "im_livechat.channel"

    def _get_operator(
        self, previous_operator_id=None, lang=None, country_id=None, expertises=None, users=None
    ):
        """Odoo's own operator selection, restricted to the operators MyChat routing considers available:
        MyChat status, working hours, leave and capacity (open MyChat conversations count too)."""
        candidates = users if users is not None else self.available_operator_ids
        if candidates:
            facts = candidates._mychat_availability()
            candidates = candidates.filtered(lambda u: not facts[u.id][0])
        return super()._get_operator(
            previous_operator_id=previous_operator_id,
            lang=lang,
            country_id=country_id,
            expertises=expertises,
            users=candidates,
        )
