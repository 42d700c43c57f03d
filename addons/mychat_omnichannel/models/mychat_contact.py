from odoo import api, fields, models

from ..tools.phone import to_e164


class MychatContact(models.Model):
    _name = "mychat.contact"
    _description = "MyChat Contact"
    _order = "id desc"

    channel_id = fields.Many2one("mychat.channel", required=True, ondelete="cascade", index=True)
    channel_type = fields.Selection(related="channel_id.channel_type")
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    external_id = fields.Char(required=True, help="The sender's id on the channel: wa_id, PSID, Telegram user id, …")
    name = fields.Char()
    phone = fields.Char(help="E.164")
    email = fields.Char()
    image_128 = fields.Image(string="Picture", max_width=128, max_height=128, help="Profile picture from the channel.")
    customer_ref = fields.Char(string="Customer number")
    national_id = fields.Char(string="National / company id")
    lang = fields.Char(string="Language")
    business_user_id = fields.Char(help="WhatsApp business-scoped user id (BSUID), when the provider sends one.")
    partner_id = fields.Many2one("res.partner", index="btree_not_null", ondelete="set null", string="Customer")
    conversation_ids = fields.One2many("mychat.conversation", "contact_id")
    conversation_count = fields.Integer(compute="_compute_conversation_count")

    _channel_external_uniq = models.Constraint(
        "UNIQUE(channel_id, external_id)", "A sender is known once per channel."
    )
    _phone_idx = models.Index("(phone) WHERE phone IS NOT NULL")
    _email_idx = models.Index("(lower(email)) WHERE email IS NOT NULL")

    @api.depends("name", "external_id", "channel_id")
    def _compute_display_name(self):
        for contact in self:
            contact.display_name = contact.name or contact.phone or contact.external_id

    def _compute_conversation_count(self):
        counts = dict(
            self.env["mychat.conversation"]._read_group([("contact_id", "in", self.ids)], ["contact_id"], ["__count"])
        )
        for contact in self:
            contact.conversation_count = counts.get(contact, 0)

    @api.model
    def _mychat_normalize_vals(self, vals, channel):
        if vals.get("phone"):
            vals["phone"] = to_e164(vals["phone"], channel.country_id.code) or vals["phone"]
        if vals.get("email"):
            vals["email"] = vals["email"].strip().lower()
        return vals

    @api.model
    def _mychat_find_or_create(self, channel, inbound_contact):
        """Return the contact for a normalised sender, creating it on first contact and completing the
        details the provider sends later (name, phone, email, ids)."""
        contact = self.search([("channel_id", "=", channel.id), ("external_id", "=", inbound_contact.external_id)])
        vals = {
            "name": inbound_contact.name,
            "phone": inbound_contact.phone,
            "email": inbound_contact.email,
            **inbound_contact.values,
        }
        vals = self._mychat_normalize_vals({k: v for k, v in vals.items() if v}, channel)
        if contact:
            missing = {k: v for k, v in vals.items() if not contact[k]}
            if missing:
                contact.write(missing)
                if not contact.partner_id:
                    contact._mychat_identify()
            return contact
        contact = self.create({"channel_id": channel.id, "external_id": inbound_contact.external_id, **vals})
        contact._mychat_identify()
        return contact

    def _mychat_identify(self):
        """Link each unidentified contact to the one partner its details designate. Ambiguous or weak
        matches leave it unidentified and list the candidates on its open conversations."""
        for contact in self.filtered(lambda c: not c.partner_id):
            partners = self.env["res.partner"]._mychat_match(
                phone=contact.phone,
                email=contact.email,
                ref=contact.customer_ref,
                national_id=contact.national_id,
                country=contact.channel_id.country_id,
            )
            if len(partners) == 1:
                contact.partner_id = partners
            elif partners:
                contact.conversation_ids.filtered(lambda c: c.state != "resolved").candidate_partner_ids = partners

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self.conversation_ids.candidate_partner_ids = False
        return res

    def action_view_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("mychat_omnichannel.mychat_conversation_action")
        action["domain"] = [("contact_id", "in", self.ids)]
        return action
