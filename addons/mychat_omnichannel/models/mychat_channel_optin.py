"""Opt-in by a web form: a public page per channel where a customer gives a phone number and agrees to be
written to on that channel; the consent is recorded with the page's statement and the request as proof."""

import secrets

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.inbound import InboundContact
from ..tools.phone import to_e164

OPTIN_CHANNEL_TYPES = ("whatsapp", "sms")


class MychatChannel(models.Model):
    _inherit = "mychat.channel"

    optin_form_enabled = fields.Boolean(
        string="Opt-in page",
        help="A public web page where customers give their phone number and agree to receive messages on "
        "this channel; each agreement is recorded as a consent with what the page said.",
    )
    optin_token = fields.Char(
        string="Opt-in page token",
        copy=False,
        readonly=True,
        groups="mychat_omnichannel.group_mychat_manager",
    )
    optin_form_text = fields.Text(
        string="Opt-in statement",
        translate=True,
        help="What the customer agrees to, shown above the checkbox and kept as the consent's proof. "
        "Empty: a default text naming the company and the channel.",
    )
    optin_url = fields.Char(string="Opt-in page URL", compute="_compute_optin_url")

    @api.depends("optin_form_enabled", "optin_token")
    def _compute_optin_url(self):
        for channel in self:
            token = channel.sudo().optin_token
            channel.optin_url = (
                f"{channel.get_base_url()}/mychat/optin/{token}"
                if channel.optin_form_enabled and token
                else False
            )

    @api.constrains("optin_form_enabled", "channel_type")
    def _check_optin_channel_type(self):
        for channel in self:
            if channel.optin_form_enabled and channel.channel_type not in OPTIN_CHANNEL_TYPES:
                raise UserError(_("An opt-in page reaches customers by phone number: WhatsApp and SMS only."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("optin_form_enabled"):
                vals["optin_token"] = secrets.token_urlsafe(24)
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if vals.get("optin_form_enabled"):
            for channel in self.sudo().filtered(lambda c: not c.optin_token):
                channel.optin_token = secrets.token_urlsafe(24)
        return res

    def action_regenerate_optin_token(self):
        """A new page address; the old one stops answering (e.g. it was posted where it should not be).
        MyChat managers only: the token itself is hidden from the others, so it is written with sudo."""
        self.check_access("write")
        for channel in self.sudo():
            channel.optin_token = secrets.token_urlsafe(24)
        return True

    @api.model
    def _mychat_for_optin_token(self, token):
        """The active channel whose opt-in page is ``token`` (empty when none)."""
        if not token or len(token) > 64:
            return self.browse()
        return self.sudo().search(
            [("optin_token", "=", token), ("optin_form_enabled", "=", True), ("active", "=", True)], limit=1
        )

    def _mychat_optin_statement(self):
        """The statement the page shows and the consent keeps, in the visitor's language."""
        self.ensure_one()
        return self.optin_form_text or _(
            "I agree to receive messages from %(company)s on %(channel)s at this phone number, and "
            "I know I can stop them at any time by replying STOP.",
            company=self.company_id.name,
            channel=self.name,
        )

    def _mychat_optin_submit(self, phone, name="", request_info=""):
        """Record a web form's opt-in: the sender for ``phone`` on this channel (found or created, and
        identified like any sender), and an ``opted_in`` consent with source ``form`` whose proof is the
        statement shown, the values given and ``request_info``. Return the consent (empty when already
        opted in); raise a UserError with what to correct."""
        self.ensure_one()
        Contact = self.env["mychat.contact"].sudo()
        number = to_e164(phone, Contact._mychat_phone_country(self).code)
        if not number:
            raise UserError(_("Enter a phone number we can write to, with its country code if abroad."))
        external_id = number[1:] if self.channel_type == "whatsapp" else number
        name = (name or "").strip()[:120]
        contact = Contact._mychat_find_or_create(
            self, InboundContact(external_id=external_id, name=name, phone=number)
        )
        proof = "\n".join(
            filter(
                None,
                [
                    self._mychat_optin_statement(),
                    _("Phone: %s", number),
                    name and _("Name: %s", name),
                    request_info,
                ],
            )
        )
        return (
            self.env["mychat.consent"]
            .sudo()
            ._mychat_record(
                self, "opted_in", "form", partner=contact.partner_id or None, contact=contact, proof=proof
            )
        )
