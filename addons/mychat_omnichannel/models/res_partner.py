from odoo import _, api, fields, models

from ..tools.phone import to_e164


class ResPartner(models.Model):
    _inherit = "res.partner"

    mychat_phone_e164 = fields.Char(
        compute="_compute_mychat_phone_e164",
        store=True,
        index="btree_not_null",
        string="Phone (E.164)",
        help="The phone in E.164 read with the partner's or the company's country; kept even when the number "
        "is not valid by libphonenumber's tables, so new number blocks still match.",
    )
    mychat_contact_ids = fields.One2many("mychat.contact", "partner_id", string="Chat identities")
    mychat_conversation_ids = fields.One2many("mychat.conversation", "partner_id", string="Conversations")
    mychat_conversation_count = fields.Integer(compute="_compute_mychat_conversation_count", string="Conversation count")

    @api.depends("phone", "country_id", "company_id.country_id")
    def _compute_mychat_phone_e164(self):
        default_country = self.env.company.country_id
        for partner in self:
            country = partner.country_id or partner.company_id.country_id or default_country
            partner.mychat_phone_e164 = to_e164(partner.phone, country.code) or False

    def _compute_mychat_conversation_count(self):
        # the partner and its contacts (children) in one grouped query
        all_partners = self.with_context(active_test=False).search([("id", "child_of", self.ids)])
        groups = self.env["mychat.conversation"]._read_group(
            [("partner_id", "in", all_partners.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            family = all_partners.filtered_domain([("id", "child_of", partner.id)])
            partner.mychat_conversation_count = sum(counts.get(pid, 0) for pid in family.ids)

    @api.model
    def _mychat_match(self, phone=None, email=None, ref=None, national_id=None, country=None):
        """Partners designated by a sender's details, strongest key first: the first key that finds any
        partner decides. One partner: a match; several: candidates for the agent."""
        Partner = self.with_context(active_test=True)
        e164 = to_e164(phone, country.code if country else None) if phone else None
        if e164:
            partners = Partner.search([("mychat_phone_e164", "=", e164)])
            if partners:
                return partners
        if email:
            partners = Partner.search([("email_normalized", "=", email.strip().lower())])
            if partners:
                return partners
        if ref:
            partners = Partner.search([("ref", "=", ref.strip())])
            if partners:
                return partners
        return Partner.browse()

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._mychat_link_waiting_contacts()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if {"phone", "email", "ref", "vat", "company_registry"} & set(vals):
            self._mychat_link_waiting_contacts()
        return res

    def _mychat_link_waiting_contacts(self):
        """A partner created or completed later links the unidentified senders it matches."""
        Contact = self.env["mychat.contact"].sudo()
        for partner in self:
            domain = []
            if partner.mychat_phone_e164:
                domain.append([("phone", "=", partner.mychat_phone_e164)])
            if partner.email_normalized:
                domain.append([("email", "=", partner.email_normalized)])
            if partner.ref:
                domain.append([("customer_ref", "=", partner.ref)])
            if not domain:
                continue
            for key_domain in domain:
                contacts = Contact.search([("partner_id", "=", False), *key_domain])
                if contacts:
                    contacts._mychat_identify()

    def action_view_mychat_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("mychat_omnichannel.mychat_conversation_action")
        action["domain"] = [("partner_id", "child_of", self.ids)]
        action["context"] = {"search_default_group_by_channel": False}
        action["name"] = _("Conversations")
        return action
