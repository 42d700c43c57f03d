from odoo import _, api, fields, models

from ..tools.identity import id_key, normalize_email
from ..tools.phone import to_e164

IDENTITY_KEYS = {"phone", "email", "customer_ref", "national_id", "name"}
# channels whose sender ids are opaque numbers, shown by profile name (else a short label)
NUMERIC_ID_TYPES = ("messenger", "instagram")


class MychatContact(models.Model):
    _name = "mychat.contact"
    _description = "MyChat Contact"
    _order = "id desc"

    channel_id = fields.Many2one("mychat.channel", required=True, ondelete="cascade", index=True)
    channel_type = fields.Selection(related="channel_id.channel_type")
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    external_id = fields.Char(
        required=True, help="The sender's id on the channel: wa_id, PSID, Telegram user id, …"
    )
    name = fields.Char(index="trigram")
    phone = fields.Char(help="E.164", index="trigram")
    email = fields.Char(index="trigram")
    image_128 = fields.Image(
        string="Picture", max_width=128, max_height=128, help="Profile picture from the channel."
    )
    customer_ref = fields.Char(string="Customer number")
    national_id = fields.Char(string="National / company id")
    lang = fields.Char(string="Language")
    business_user_id = fields.Char(
        help="WhatsApp business-scoped user id (BSUID), when the provider sends one."
    )
    partner_id = fields.Many2one(
        "res.partner", index="btree_not_null", ondelete="set null", string="Customer"
    )
    candidate_partner_ids = fields.Many2many(
        "res.partner",
        "mychat_contact_candidate_rel",
        string="Possible customers",
        help="Partners an ambiguous or loose match found for this unidentified sender.",
    )
    candidate_reason = fields.Char(string="Match evidence", help="Why the candidates were suggested.")
    conversation_ids = fields.One2many("mychat.conversation", "contact_id")
    conversation_count = fields.Integer(compute="_compute_conversation_count")

    _channel_external_uniq = models.Constraint(
        "UNIQUE(channel_id, external_id)", "A sender is known once per channel."
    )
    # identification keys are stored normalised: lookups are equalities on these indexes
    _phone_idx = models.Index("(phone) WHERE phone IS NOT NULL")
    _email_norm_idx = models.Index("(email) WHERE email IS NOT NULL")
    _customer_ref_idx = models.Index("(customer_ref) WHERE customer_ref IS NOT NULL")
    _national_id_idx = models.Index("(national_id) WHERE national_id IS NOT NULL")

    @api.depends("name", "phone", "external_id", "channel_id.channel_type")
    def _compute_display_name(self):
        labels = None  # the channel types' translated labels, read only for a contact that needs one
        for contact in self:
            if contact.name or contact.phone or contact.channel_id.channel_type not in NUMERIC_ID_TYPES:
                contact.display_name = contact.name or contact.phone or contact.external_id
            else:
                if labels is None:
                    field = self.env["mychat.channel"]._fields["channel_type"]
                    labels = dict(field._description_selection(self.env))
                # a Page- or Instagram-scoped id says nothing to an agent: "Messenger user …0077"
                contact.display_name = _(
                    "%(channel)s user …%(suffix)s",
                    channel=labels.get(contact.channel_id.channel_type),
                    suffix=(contact.external_id or "")[-4:],
                )

    def _compute_conversation_count(self):
        counts = dict(
            self.env["mychat.conversation"]._read_group(
                [("contact_id", "in", self.ids)], ["contact_id"], ["__count"]
            )
        )
        for contact in self:
            contact.conversation_count = counts.get(contact, 0)

    @api.model
    def _mychat_normalize_vals(self, vals, channel):
        """Identification keys in their comparable form: E.164 phone (the channel's country reads local
        numbers), lower-case email, trimmed customer number, national id digits."""
        if vals.get("phone"):
            lang = vals.get("lang") or (self.lang if len(self) == 1 else None)
            country = self._mychat_phone_country(channel, lang)
            vals["phone"] = to_e164(vals["phone"], country.code) or vals["phone"]
        if vals.get("email"):
            vals["email"] = normalize_email(vals["email"]) or False
        if vals.get("customer_ref"):
            vals["customer_ref"] = vals["customer_ref"].strip() or False
        if vals.get("national_id"):
            vals["national_id"] = id_key(vals["national_id"]) or vals["national_id"].strip()
        return vals

    @api.model
    def _mychat_phone_country(self, channel, lang=None):
        """The country local phone numbers are read with: the channel's, its company's, the country of the
        sender's language (``he_IL``), the main company's."""
        return (
            channel.country_id
            or channel.company_id.country_id
            or self._mychat_lang_country(lang)
            or self.env.ref("base.main_company", raise_if_not_found=False).country_id
        )

    @api.model
    def _mychat_lang_country(self, lang):
        """The country of a language code such as ``he_IL`` or ``ar-JO`` (empty when it has none)."""
        code = (lang or "").replace("-", "_").partition("_")[2][:2].upper()
        return (
            self.env["res.country"].search([("code", "=", code)], limit=1)
            if code
            else self.env["res.country"]
        )

    @api.model_create_multi
    def create(self, vals_list):
        Channel = self.env["mychat.channel"]
        for vals in vals_list:
            self._mychat_normalize_vals(vals, Channel.browse(vals.get("channel_id")))
        contacts = super().create(vals_list)
        contacts._mychat_identify()
        return contacts

    @api.model
    def _mychat_find_or_create(self, channel, inbound_contact):
        """Return the contact for a normalised sender, creating it on first contact and completing the
        details the provider sends later (name, phone, email, ids)."""
        contact = self.search(
            [("channel_id", "=", channel.id), ("external_id", "=", inbound_contact.external_id)]
        )
        vals = {
            "name": inbound_contact.name,
            "phone": inbound_contact.phone,
            "email": inbound_contact.email,
            **inbound_contact.values,
        }
        vals = {k: v for k, v in vals.items() if v}
        if contact:
            # only what the contact lacks is normalised (phone parsing is the costly part of a message)
            missing = {k: v for k, v in vals.items() if not contact[k]}
            if missing:
                # identifies the sender again when a key arrives
                contact.write(contact._mychat_normalize_vals(missing, channel))
            return contact
        vals = self._mychat_normalize_vals(vals, channel)
        return self.create({"channel_id": channel.id, "external_id": inbound_contact.external_id, **vals})

    def _mychat_identify(self):
        """Link each unidentified contact to the one partner its details designate. Ambiguous or loose
        matches leave it unidentified and suggest the candidates, with the evidence, on the contact and
        its open conversations."""
        Partner = self.env["res.partner"].sudo()
        for contact in self.filtered(lambda c: not c.partner_id):
            partners, evidence, decisive = Partner._mychat_match_details(
                phone=contact.phone,
                email=contact.email,
                ref=contact.customer_ref,
                national_id=contact.national_id,
                name=contact.name,
                country=self._mychat_phone_country(contact.channel_id, contact.lang),
                company=contact.company_id,
            )
            if decisive:
                contact.partner_id = partners
                continue
            contact.write(
                {"candidate_partner_ids": [fields.Command.set(partners.ids)], "candidate_reason": evidence}
            )
            contact.conversation_ids.filtered(
                lambda c: c.state != "resolved"
            ).candidate_partner_ids = partners

    def write(self, vals):
        if len(self.channel_id) == 1:
            vals = self._mychat_normalize_vals(dict(vals), self.channel_id)
        if vals.get("partner_id"):
            # identified: the candidates are moot, on the sender and its conversations
            vals = {**vals, "candidate_partner_ids": [fields.Command.clear()], "candidate_reason": False}
        res = super().write(vals)
        if vals.get("partner_id"):
            self.conversation_ids.candidate_partner_ids = False
        elif IDENTITY_KEYS & set(vals) and not self.env.context.get("mychat_no_identify"):
            self.filtered(lambda c: not c.partner_id).with_context(mychat_no_identify=True)._mychat_identify()
        return res

    def action_view_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mychat_omnichannel.mychat_conversation_action"
        )
        action["domain"] = [("contact_id", "in", self.ids)]
        return action
