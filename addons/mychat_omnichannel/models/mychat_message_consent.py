"""Provider refusals that mean the customer opted out: Meta's marketing opt-out (131050) and a
Telegram bot blocked by the customer (403) record an opt-out."""

import re

from odoo import _, models

META_MARKETING_OPT_OUT = 131050
META_MARKETING_LIMIT = 131049
_CODE = re.compile(r"\b(\d{3,6})\b")


class MychatMessage(models.Model):
    _inherit = "mychat.message"

    def _mychat_send_failed(self, error):
        res = super()._mychat_send_failed(error)
        if self.state == "failed":
            self._mychat_failure_signal(error.code, str(error))
        return res

    def _mychat_apply_status(self, status, error="", error_kind="permanent"):
        res = super()._mychat_apply_status(status, error, error_kind)
        if status == "failed" and error:
            codes = {int(code) for code in _CODE.findall(error)}
            for message in self.filtered(lambda m: m.state == "failed"):
                for code in codes & {META_MARKETING_OPT_OUT}:
                    message._mychat_failure_signal(code, error)
        return res

    def _mychat_failure_signal(self, code, text):
        self.ensure_one()
        conversation = self.conversation_id
        channel = conversation.channel_id
        opted_out = (channel.channel_type == "whatsapp" and code == META_MARKETING_OPT_OUT) or (
            channel.channel_type == "telegram" and code == 403
        )
        if opted_out:
            self.env["mychat.consent"]._mychat_record(
                channel,
                "opted_out",
                "provider",
                partner=conversation.partner_id,
                contact=conversation.contact_id,
                proof=_("Provider refused message %(id)s: %(text)s", id=self.id, text=text),
                message=self,
            )
