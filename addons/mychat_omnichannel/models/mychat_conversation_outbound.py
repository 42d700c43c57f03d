"""Consent on conversations: opt-out / opt-in keywords in customer messages (with one confirmation),
nothing sent after an opt-out, marketing templates only to opted-in customers, campaign replies."""

import logging

from odoo import _, models
from odoo.exceptions import UserError

from .mychat_consent import keyword_of

_logger = logging.getLogger(__name__)


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    def _mychat_consent_status(self):
        self.ensure_one()
        return self.env["mychat.consent"]._mychat_status(self.channel_id, self.partner_id, self.contact_id)

    def _mychat_check_can_send(self, template=False):
        res = super()._mychat_check_can_send(template=template)
        if (
            self.channel_type not in ("livechat", "chatbot")
            and not self.env.context.get("mychat_consent_confirmation")
            and self._mychat_consent_status() == "opted_out"
        ):
            raise UserError(
                _(
                    "%(who)s opted out of messages on %(channel)s: nothing can be sent until they opt in "
                    "again.",
                    who=self.partner_id.display_name or self.contact_id.display_name,
                    channel=self.channel_id.name,
                )
            )
        return res

    def send_template(self, template_id, values=None):
        template = self.env["mychat.template"].browse(template_id).exists()
        if template.category == "marketing" and self._mychat_consent_status() != "opted_in":
            raise UserError(
                _(
                    "%(who)s has not opted in to marketing messages on %(channel)s: send a utility template "
                    "or record their consent first.",
                    who=self.partner_id.display_name or self.contact_id.display_name,
                    channel=self.channel_id.name,
                )
            )
        return super().send_template(template_id, values)

    def _mychat_on_inbound(self, message):
        res = super()._mychat_on_inbound(message)
        if message.author_kind == "customer" and self.channel_type not in ("livechat", "chatbot"):
            self._mychat_apply_keyword(message)
        recipients = (
            self.env["mychat.campaign.recipient"]
            .sudo()
            .search(
                [
                    ("conversation_id", "=", self.id),
                    ("state", "in", ("sent", "delivered", "read")),
                    ("message_id.date", "<=", message.date),
                ]
            )
        )
        recipients.write({"replied_message_id": message.id})
        return res

    def _mychat_apply_keyword(self, message):
        """STOP, ביטול, إلغاء, стоп, спри … opt the sender out; START … opts them in. Each change is
        recorded with the message as proof and confirmed to the customer once."""
        state = keyword_of(message.body)
        if not state:
            return
        before = self.env["mychat.consent"]._mychat_latest(self.channel_id, self.partner_id, self.contact_id)
        consent = self.env["mychat.consent"]._mychat_record(
            self.channel_id,
            state,
            "keyword",
            partner=self.partner_id,
            contact=self.contact_id,
            proof=message.body,
            message=message,
        )
        if not consent:
            return  # already in that state: confirmed before
        if state == "opted_in" and before.state != "opted_out":
            return  # a first /start or START is no change to confirm
        text = self.channel_id._mychat_opt_reply(state, lang=self.contact_id.lang or self.partner_id.lang)
        try:
            confirmation_id = self.with_context(
                mychat_author_kind="system", mychat_consent_confirmation=True
            ).send_reply(text)
        except UserError as error:
            _logger.info("MyChat: consent confirmation not sent on conversation %s: %s", self.id, error)
            return
        consent.confirmation_message_id = confirmation_id

    def action_mychat_start_conversation(self):
        """The "Start a conversation" wizard on this conversation's customer and channel (a template once
        the reply window is closed)."""
        self.ensure_one()
        return self.env["mychat.start.conversation"]._mychat_action(
            partners=self.partner_id, leads=self.lead_id.filtered("partner_id"), channel=self.channel_id
        )
