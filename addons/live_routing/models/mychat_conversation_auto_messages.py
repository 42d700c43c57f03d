import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class MychatConversation(models.Model):
    """Greeting, away and queue messages, on every channel type: once per conversation each, never a
    free-form message outside the channel's reply window (a closed window skips the message)."""

    _inherit = "mychat.conversation"

    mychat_greeting_sent = fields.Boolean(string="Greeting done", readonly=True)
    mychat_away_sent = fields.Boolean(string="Away message done", readonly=True)
    mychat_queue_notice_sent = fields.Boolean(string="Queue message done", readonly=True)

    def _mychat_on_inbound(self, message):
        res = super(MychatConversation, self.with_context(mychat_inbound=True))._mychat_on_inbound(message)
        if message.author_kind == "customer":
            for conv in self:
                conv._mychat_automatic_messages()
        return res

    def _mychat_enqueue(self, context, why, skipped=()):
        res = super()._mychat_enqueue(context, why, skipped)
        if not self.env.context.get("mychat_inbound"):  # queued at a hand-off or a transfer
            self._mychat_queue_notice()
        return res

    # ------------------------------------------------------------------

    def _mychat_automatic_messages(self):
        self.ensure_one()
        if not self._mychat_auto_allowed():
            return
        channel = self.channel_id
        if not self.mychat_greeting_sent:
            self.mychat_greeting_sent = True
            self._mychat_send_automatic(
                channel.with_context(lang=self._mychat_customer_lang()).greeting_message
            )
        if not self.mychat_away_sent:
            self.mychat_away_sent = True
            if channel.away_message:  # the opening hours are read only when there is something to say
                open_now, next_opening = self._mychat_opening()
                if not open_now:
                    self._mychat_send_automatic(self._mychat_away_text(next_opening))
        self._mychat_queue_notice()

    def _mychat_queue_notice(self):
        for conv in self:
            if (
                conv.mychat_queue_notice_sent
                or conv.user_id
                or not conv.mychat_queued_since
                or not conv.channel_id.queue_message  # the opening hours are read only to say something
            ):
                continue
            if not conv._mychat_auto_allowed() or not conv._mychat_opening()[0]:
                continue  # outside opening hours the away message already said when we answer
            conv.mychat_queue_notice_sent = True
            text = conv.channel_id.with_context(lang=conv._mychat_customer_lang()).queue_message
            if text:
                conv._mychat_send_automatic(text.replace("{position}", str(conv.mychat_queue_position or 1)))

    def _mychat_auto_allowed(self):
        """No automatic message in a bot's conversation unless its channel asks for it, none to a closed
        conversation, none to MyChat's own alerts."""
        self.ensure_one()
        if self.state == "resolved" or self.env.context.get("mychat_skip_routing"):
            return False
        return not self.is_chatbot or self.channel_id.auto_message_bots

    def _mychat_send_automatic(self, body):
        """Send one automatic message through the hub's sending path; return its id, or False when it
        cannot be sent now (window closed, channel archived …), which never blocks the caller."""
        self.ensure_one()
        body = (body or "").strip()
        if not body:
            return False
        try:
            with self.env.cr.savepoint():
                self._mychat_check_can_send()
                # posted in the conversation's Discuss thread even while a customer message from Discuss
                # (a live chat session) is being registered (mychat_no_post)
                conv = self.with_context(mychat_author_kind="system", mychat_no_post=False)
                return conv.send_reply(body)
        except UserError as error:
            _logger.info("MyChat conversation %s: automatic message not sent: %s", self.id, error)
            return False

    # ------------------------------------------------------------------
    # Opening hours, language and time zone of the customer
    # ------------------------------------------------------------------

    def _mychat_opening_calendar(self):
        self.ensure_one()
        team = (
            self.team_id
            or self.channel_id.team_id
            or (self.company_id or self.env.company)._mychat_default_team()
        )
        return team._mychat_opening_calendar(self.company_id or self.env.company)

    def _mychat_opening(self, now=None):
        """(open now, next opening in naive UTC or False) of the conversation's team."""
        calendar = self._mychat_opening_calendar()
        if not calendar:
            return True, False
        return calendar._mychat_opening(now=now)

    def _mychat_away_text(self, next_opening):
        self.ensure_one()
        lang = self._mychat_customer_lang()
        text = self.channel_id.with_context(lang=lang).away_message or ""
        if "{next_opening}" in text:
            when = (
                self._mychat_opening_calendar()._mychat_format_opening(
                    next_opening, tz=self._mychat_customer_tz(), lang=lang
                )
                if next_opening
                else ""
            )
            text = text.replace("{next_opening}", when)
        return text

    @api.model
    def _mychat_active_lang(self, code):
        """The installed language matching ``code`` (``he`` or ``he-IL`` find ``he_IL``), else False."""
        if not code:
            return False
        code = code.replace("-", "_")
        langs = self.env["res.lang"].sudo().search([("active", "=", True)])
        exact = langs.filtered(lambda lang: lang.code == code)
        if exact:
            return exact.code
        prefix = code.split("_")[0].lower()
        loose = langs.filtered(lambda lang: lang.code.split("_")[0].lower() == prefix)
        return loose[:1].code or False

    def _mychat_customer_lang(self):
        self.ensure_one()
        session = self._mychat_livechat_session()
        guest = session.channel_member_ids.guest_id[:1] if session else False
        for code in (
            self.contact_id.lang,
            session.livechat_lang_id.code if session else False,  # the language the visitor browses in
            guest.lang if guest else False,
            self.partner_id.lang,
            self.company_id.partner_id.lang,
        ):
            lang = self._mychat_active_lang(code)
            if lang:
                return lang
        return self.env.lang or "en_US"

    def _mychat_customer_tz(self):
        self.ensure_one()
        session = self._mychat_livechat_session()
        guest = session.channel_member_ids.guest_id[:1] if session else False
        return (
            self.partner_id.tz
            or (guest and guest.timezone)
            or self._mychat_opening_calendar().tz
            or self.env.user.tz
            or "UTC"
        )

    def _mychat_livechat_session(self):
        """The website live chat session (discuss.channel) of this conversation, if any."""
        self.ensure_one()
        if self.channel_type != "livechat":
            return False
        Channel = self.env["discuss.channel"].sudo()
        if "discuss_channel_id" in self._fields and self.discuss_channel_id:
            return self.discuss_channel_id.sudo()
        if "mychat_conversation_id" in Channel._fields:
            return Channel.search([("mychat_conversation_id", "=", self.id)], limit=1)
        return False
