"""Consent with proof: who agreed (or refused) to receive messages on which channel, when, how, and the
text that says so. The latest record per partner (else per contact) and channel decides."""

import unicodedata

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CONSENT_STATES = [("opted_in", "Opted in"), ("opted_out", "Opted out")]
CONSENT_SOURCES = [
    ("inbound", "Customer wrote first"),
    ("form", "Website form"),
    ("import", "Import"),
    ("agent", "Agent"),
    ("keyword", "Keyword"),
    ("provider", "Provider signal"),
]
# Whole-message keywords (compared case-insensitively, without surrounding punctuation)
OPT_OUT_KEYWORDS = {
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "optout",
    "opt out",
    "opt-out",
    "ביטול",
    "הסר",
    "הסרה",  # Hebrew
    "إلغاء",
    "الغاء",
    "توقف",  # Arabic
    "стоп",
    "отписаться",
    "отписка",  # Russian
    "спри",
    "отписване",  # Bulgarian
}
OPT_IN_KEYWORDS = {
    "start",
    "/start",
    "unstop",
    "subscribe",
    "optin",
    "opt in",
    "opt-in",
    "הרשמה",
    "אישור",  # Hebrew
    "ابدأ",
    "اشتراك",  # Arabic
    "старт",
    "подписаться",  # Russian
    "започни",
    "абонирай",  # Bulgarian
}


def keyword_of(text):
    """The opt-out / opt-in keyword ``text`` consists of: ``opted_out``, ``opted_in`` or ``None``."""
    word = unicodedata.normalize("NFC", (text or "").strip().strip(".!?،,;:").strip()).casefold()
    if not word or len(word) > 20:
        return None
    if word in OPT_OUT_KEYWORDS:
        return "opted_out"
    if word in OPT_IN_KEYWORDS:
        return "opted_in"
    return None


class MychatConsent(models.Model):
    _name = "mychat.consent"
    _description = "MyChat Consent"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", index=True, ondelete="cascade")
    channel_id = fields.Many2one("mychat.channel", required=True, index=True, ondelete="cascade")
    channel_type = fields.Selection(related="channel_id.channel_type")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    contact_id = fields.Many2one(
        "mychat.contact", string="Sender", index="btree_not_null", ondelete="set null"
    )
    state = fields.Selection(CONSENT_STATES, required=True, default="opted_in")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    source = fields.Selection(CONSENT_SOURCES, required=True, default="agent")
    proof = fields.Text(
        help="The text of the message or form that gave or withdrew consent, or the agent's note."
    )
    message_id = fields.Many2one("mychat.message", string="Message", ondelete="set null")
    user_id = fields.Many2one("res.users", string="Recorded by", default=lambda self: self.env.user)
    confirmation_message_id = fields.Many2one(
        "mychat.message", string="Confirmation", ondelete="set null", readonly=True
    )
    is_current = fields.Boolean(
        compute="_compute_is_current",
        string="Current",
        help="This record decides for its customer and channel.",
    )

    @api.constrains("partner_id", "contact_id")
    def _check_subject(self):
        for consent in self:
            if not consent.partner_id and not consent.contact_id:
                raise ValidationError(_("A consent belongs to a customer or a sender."))

    @api.model_create_multi
    def create(self, vals_list):
        Contact = self.env["mychat.contact"]
        for vals in vals_list:
            if vals.get("contact_id") and not vals.get("partner_id"):
                vals["partner_id"] = Contact.browse(vals["contact_id"]).partner_id.id or False
        return super().create(vals_list)

    def _compute_is_current(self):
        for consent in self:
            latest = self._mychat_latest(consent.channel_id, consent.partner_id, consent.contact_id)
            consent.is_current = latest == consent

    @api.model
    def _mychat_latest(self, channel, partner=None, contact=None):
        """The record that decides for ``partner`` (else ``contact``) on ``channel``, or an empty record."""
        if partner:
            domain = [("partner_id", "=", partner.id)]
            if contact:
                domain = ["|", ("contact_id", "=", contact.id), *domain]
        elif contact:
            domain = [("contact_id", "=", contact.id)]
        else:
            return self.browse()
        return self.sudo().search(
            [("channel_id", "=", channel.id), *domain], order="date desc, id desc", limit=1
        )

    @api.model
    def _mychat_blacklisted(self, channel, partner=None, contact=None):
        """Whether Odoo's phone blacklist holds the recipient's number (WhatsApp and SMS)."""
        if channel.channel_type not in ("whatsapp", "sms"):
            return False
        numbers = {n for n in (contact and contact.phone, partner and partner.mychat_phone_e164) if n}
        if contact and contact.channel_type == "whatsapp" and (contact.external_id or "").isdigit():
            numbers.add(f"+{contact.external_id}")
        return bool(
            numbers
            and self.env["phone.blacklist"].sudo().search_count([("number", "in", list(numbers))], limit=1)
        )

    @api.model
    def _mychat_status(self, channel, partner=None, contact=None):
        """``opted_in``, ``opted_out`` (blacklisted numbers included) or ``none``."""
        if self._mychat_blacklisted(channel, partner, contact):
            return "opted_out"
        latest = self._mychat_latest(channel, partner, contact)
        return latest.state if latest else "none"

    @api.model
    def _mychat_record(self, channel, state, source, partner=None, contact=None, proof=None, message=None):
        """Record a consent change; nothing is written when it is already the current state. Return the
        new record, or an empty one."""
        latest = self._mychat_latest(channel, partner, contact)
        if latest.state == state:
            return self.browse()
        return self.sudo().create(
            {
                "channel_id": channel.id,
                "partner_id": (partner or (contact and contact.partner_id) or self.env["res.partner"]).id,
                "contact_id": contact.id if contact else False,
                "state": state,
                "source": source,
                "proof": proof or False,
                "message_id": message.id if message else False,
                "date": fields.Datetime.now(),
                "user_id": self.env.uid,
            }
        )
