import logging
import math
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.mychat_omnichannel.tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)

DEFAULT_INACTIVITY_MINUTES = 60


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    chatbot_mode = fields.Selection(
        [("bot", "Bot"), ("live", "Live")],
        string="Mode",
        default="bot",
        index=True,
        help="Bot: the chatbot answers. Live: a human answers and the bot stays silent (empty: bot).",
    )
    live_mode_until = fields.Datetime(
        readonly=True,
        help="Live mode ends by itself then, unless an agent writes again (each agent message restarts it).",
    )
    live_mode_minutes_left = fields.Integer(
        compute="_compute_live_mode_minutes_left", string="Live mode left (min)"
    )
    needs_human = fields.Boolean(string="Needs a human", readonly=True, index=True)
    handoff_date = fields.Datetime(string="Human requested on", readonly=True)
    handoff_reason = fields.Char(string="Hand-off reason", readonly=True)
    bot_completed_date = fields.Datetime(string="Bot finished on", readonly=True)

    def _compute_live_mode_minutes_left(self):
        now = fields.Datetime.now()
        for conv in self:
            left = (
                (conv.live_mode_until - now).total_seconds()
                if conv.chatbot_mode == "live" and conv.live_mode_until
                else 0
            )
            conv.live_mode_minutes_left = max(0, math.ceil(left / 60))

    @api.model
    def _chatbot_param(self, name, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(f"chatbot_sync.{name}") or default

    @api.model
    def _chatbot_live_deadline(self):
        minutes = int(
            self._chatbot_param("live_inactivity_minutes", DEFAULT_INACTIVITY_MINUTES)
            or DEFAULT_INACTIVITY_MINUTES
        )
        return fields.Datetime.now() + timedelta(minutes=minutes)

    # ------------------------------------------------------------------
    # Bot / live mode
    # ------------------------------------------------------------------

    @api.model
    def _mychat_is_handoff(self, vals):
        return (
            super()._mychat_is_handoff(vals)
            or bool(vals.get("needs_human"))
            or vals.get("chatbot_mode") == "live"
        )

    def _mychat_on_new(self):
        res = super()._mychat_on_new()
        self.filtered(lambda c: c.channel_type == "chatbot").is_chatbot = True
        return res

    def _mychat_register(self, message):
        res = super()._mychat_register(message)
        if message.author_kind == "agent" and message.direction == "outbound" and self.is_chatbot:
            # an agent speaking takes over from the bot; each agent message restarts the live-mode timer
            self.needs_human = False
            if self.chatbot_mode == "live":
                self.live_mode_until = self._chatbot_live_deadline()
            else:
                self._chatbot_set_mode("live", reason="agent")
        return res

    def _chatbot_set_mode(self, mode, reason=""):
        """Switch to ``live`` (the bot stops answering) or back to ``bot``, and tell the bot."""
        for conv in self:
            changed = (conv.chatbot_mode or "bot") != mode
            conv.write(
                {
                    "chatbot_mode": mode,
                    "live_mode_until": self._chatbot_live_deadline() if mode == "live" else False,
                }
            )
            if not changed:
                continue
            try:
                conv.channel_id._mychat_set_bot_mode(conv, mode, reason)
            except ProviderError as error:
                _logger.info(
                    "MyChat conversation %s: the bot was not told about mode %s: %s", conv.id, mode, error
                )
                conv.action_post_note(
                    _(
                        "The bot could not be told to switch to %(mode)s: %(error)s",
                        mode=mode,
                        error=error,
                    )
                )
            conv._mychat_notify("mode")

    def action_chatbot_take_over(self):
        """Agent button: the bot stops, a human answers."""
        for conv in self:
            if not conv.user_id:
                conv.user_id = self.env.user
        self._chatbot_set_mode("live", reason="agent")
        return True

    def action_chatbot_resume_bot(self):
        """Agent button: give the conversation back to the bot."""
        self.needs_human = False
        self._chatbot_set_mode("bot", reason="agent")
        return True

    @api.model
    def _cron_chatbot_live_expire(self):
        """Live mode ends after the configured inactivity period since the last agent message."""
        expired = self.search(
            [("chatbot_mode", "=", "live"), ("live_mode_until", "<=", fields.Datetime.now())]
        )
        expired._chatbot_set_mode("bot", reason="inactivity")
        return expired

    # ------------------------------------------------------------------
    # Hand-off
    # ------------------------------------------------------------------

    def _chatbot_request_handoff(self, reason="", go_live=True):
        """The customer asked for a human: flag, switch to live (unless ``go_live`` is False: the bot goes
        on), notify the team, acknowledge. A repeated request on a flagged conversation does nothing."""
        self.ensure_one()
        if self.needs_human:
            return False
        self.write(
            {
                "needs_human": True,
                "handoff_date": fields.Datetime.now(),
                "handoff_reason": reason or False,
                "is_chatbot": True,
            }
        )
        if go_live:
            self._chatbot_set_mode("live", reason="handoff")
        self._mychat_notify("handoff")
        self._chatbot_alert_team()
        ack = self._chatbot_param(
            "handoff_ack", _("Thank you! Our team has been notified and will join this chat shortly.")
        )
        self._chatbot_try(
            lambda: self.with_context(mychat_author_kind="system").send_reply(ack), "acknowledgement"
        )
        return True

    def _chatbot_try(self, action, what):
        """Run a best-effort side effect; a failure is logged and rolled back, never blocks the hand-off."""
        try:
            with self.env.cr.savepoint():
                return action()
        except (UserError, ProviderError) as error:
            _logger.warning("MyChat conversation %s: %s not sent: %s", self.id, what, error)
            return None

    def _chatbot_handoff_text(self):
        return _(
            "%(customer)s asks for a human on %(channel)s. %(reason)s",
            customer=self.partner_id.name or self.contact_id.display_name,
            channel=self.channel_id.name,
            reason=self.handoff_reason or "",
        ).strip()

    def _chatbot_alert_team(self):
        """Through the hub's one alert path: a sticky popup for the assigned agent, else the team, else every
        MyChat user; an email with the collected data and the transcript to the hand-off address; an SMS to
        the hand-off phone (each when configured)."""
        users = (
            self.user_id
            or self.team_id.member_ids
            or self.env.ref("mychat_omnichannel.group_mychat_user").sudo().all_user_ids
        )
        email, phone = self._chatbot_param("handoff_email"), self._chatbot_param("handoff_phone")
        media = ["popup", *(["email"] if email else []), *(["sms"] if phone else [])]
        rows = Markup("").join(Markup("<li>%s: %s</li>") % (d.label or d.key, d.value) for d in self.data_ids)
        authors = dict(self.env["mychat.message"]._fields["author_kind"]._description_selection(self.env))
        messages = self.env["mychat.message"].search(
            [("conversation_id", "=", self.id)], order="date desc, id desc", limit=15
        )
        transcript = Markup("").join(
            Markup("<li><b>%s</b>: %s</li>") % (authors[m.author_kind], m.body or "") for m in messages[::-1]
        )
        return users._mychat_alert(
            "handoff",
            self,
            self._chatbot_handoff_text(),
            title=_("A customer asks for a human: %s", self.display_name),
            media=media,
            email_to=email,
            sms_to=phone,
            details=Markup("<ul>%s</ul><ul>%s</ul>") % (rows, transcript),
            odoo_sms=True,
        )

    # ------------------------------------------------------------------
    # External bots (chatbot channels)
    # ------------------------------------------------------------------

    @api.model
    def _chatbot_apply_event(self, channel, item):
        """Apply what a chatbot event says about its conversation (after its messages were stored)."""
        contact = self.env["mychat.contact"]._mychat_find_or_create(channel, item.contact)
        conv = self._mychat_open_for(channel, contact, item.conversation_id)
        vals = {"is_chatbot": True}
        if conv.contact_id != contact and conv.contact_id.external_id.startswith("conversation:"):
            vals["contact_id"] = contact.id  # the bot identified its user after the first increments
        if item.subject:
            vals["subject"] = item.subject
        if item.completed_at:
            vals["bot_completed_date"] = item.completed_at
        conv.write(vals)
        self.env["mychat.conversation.data"]._mychat_upsert(conv, item.collected, "bot")
        if item.handoff:
            conv._chatbot_request_handoff(item.handoff_reason)
        return conv
