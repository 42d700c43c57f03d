from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.identity import id_key, id_key_is_checked, normalize_email
from ..tools.phone import to_e164

# partner fields whose change may identify a waiting sender
IDENTITY_FIELDS = {"phone", "email", "ref", "vat", "company_registry", "country_id", "active"}
CANDIDATE_LIMIT = 20
# what the identification lookups read, flushed before they run
MATCH_COLUMNS = [
    "active",
    "company_id",
    "complete_name",
    "email_normalized",
    "mychat_phone_e164",
    "mychat_registry_key",
    "mychat_vat_key",
    "name",
    "ref",
]


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
    mychat_vat_key = fields.Char(
        compute="_compute_mychat_id_keys", store=True, index="btree_not_null", string="Tax ID (digits)"
    )
    mychat_registry_key = fields.Char(
        compute="_compute_mychat_id_keys", store=True, index="btree_not_null", string="Company ID (digits)"
    )
    mychat_contact_ids = fields.One2many(
        "mychat.contact",
        "partner_id",
        string="Chat identities",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_conversation_ids = fields.One2many(
        "mychat.conversation",
        "partner_id",
        string="Conversations",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_conversation_count = fields.Integer(
        compute="_compute_mychat_conversation_count",
        string="Conversation count",
        help="Conversations of this customer and of its contacts.",
        groups="mychat_omnichannel.group_mychat_user",
    )
    mychat_event_ids = fields.Many2many(
        "mychat.conversation",
        compute="_compute_mychat_event_ids",
        string="Events",
        help="Every conversation of this customer and of its contacts, newest first.",
        groups="mychat_omnichannel.group_mychat_user",
    )

    # email_normalized is stored by mail but not indexed: matching needs it
    _mychat_email_normalized_idx = models.Index("(email_normalized) WHERE email_normalized IS NOT NULL")
    # the inbox's "Customer" search (mychat.conversation.customer_search) looks names and addresses up with
    # ilike: trigram indexes, where PostgreSQL has pg_trgm, instead of a scan of every partner
    _mychat_complete_name_trgm_idx = models.Index(
        lambda registry: registry.has_trigram and "USING gin (complete_name gin_trgm_ops)" or ""
    )
    _mychat_email_trgm_idx = models.Index(
        lambda registry: (
            registry.has_trigram and "USING gin (email gin_trgm_ops) WHERE email IS NOT NULL" or ""
        )
    )

    @api.depends("phone", "country_id", "company_id.country_id")
    def _compute_mychat_phone_e164(self):
        default_country = self.env.company.country_id
        for partner in self:
            country = partner.country_id or partner.company_id.country_id or default_country
            partner.mychat_phone_e164 = to_e164(partner.phone, country.code) or False

    @api.depends("vat", "company_registry")
    def _compute_mychat_id_keys(self):
        for partner in self:
            vat = partner.vat if partner.vat != "/" else False
            partner.mychat_vat_key = id_key(vat) or False
            partner.mychat_registry_key = id_key(partner.company_registry) or False

    def _mychat_family_conversation_domain(self):
        return [("partner_id", "child_of", self.ids)]

    def _compute_mychat_conversation_count(self):
        """One grouped query for the partners and all their contacts; each group is added to every
        ancestor it has among ``self``."""
        counts = dict.fromkeys(self.ids, 0)
        if self.ids:
            groups = self.env["mychat.conversation"]._read_group(
                self._mychat_family_conversation_domain(), ["partner_id"], ["__count"]
            )
            for partner, count in groups:
                ancestor = partner.sudo()
                while ancestor:
                    if ancestor.id in counts:
                        counts[ancestor.id] += count
                    ancestor = ancestor.parent_id
        for partner in self:
            partner.mychat_conversation_count = counts.get(partner.id, 0)

    def _compute_mychat_event_ids(self):
        Conversation = self.env["mychat.conversation"]
        for partner in self:
            if not partner.id:
                partner.mychat_event_ids = Conversation
                continue
            partner.mychat_event_ids = Conversation.search(
                partner._mychat_family_conversation_domain(), order="last_message_date desc, id desc"
            )

    # ------------------------------------------------------------------
    # Identification
    # ------------------------------------------------------------------

    @api.model
    def _mychat_match_details(
        self, phone=None, email=None, ref=None, national_id=None, name=None, country=None, company=None
    ):
        """Partners designated by a sender's details, as ``(partners, evidence, decisive)``.

        Strong keys in order: phone (E.164), email, customer number, checked national / company id.
        The first key that finds partners decides; when it finds several, the next keys may narrow
        them down. ``decisive`` is True only when exactly one partner remains from strong keys. A
        national id failing its check digit, or the name alone, are loose keys: they only suggest
        candidates. Every lookup is an equality on an indexed column."""
        e164 = to_e164(phone, country.code if country else None)
        email = normalize_email(email)
        ref = (ref or "").strip()
        national_key = id_key(national_id)
        checked = id_key_is_checked(national_key)
        # (label, condition): a label is translated only when its key finds someone
        strong = [
            e164 and (lambda: self.env._("phone %s", e164), SQL("mychat_phone_e164 = %s", e164)),
            email and (lambda: self.env._("email %s", email), SQL("email_normalized = %s", email)),
            ref and (lambda: self.env._("customer number %s", ref), SQL("ref = %s", ref)),
            checked and (lambda: self.env._("ID %s", national_key), self._mychat_id_condition(national_key)),
        ]
        partners, evidence = self.browse(), []
        for key in filter(None, strong):
            label, condition = key
            found = self._mychat_partners_where(condition, company)
            if not found:
                continue
            narrowed = partners & found if partners else found
            if narrowed:
                partners = narrowed
                evidence.append(label())
            if len(partners) == 1:
                return partners, ", ".join(evidence), True
        if partners:
            return (
                partners,
                _("%(count)s customers share %(keys)s", count=len(partners), keys=", ".join(evidence)),
                False,
            )
        name = (name or "").strip()
        loose = [
            national_key
            and not checked
            and (
                lambda: self.env._("unchecked ID %s", national_key),
                self._mychat_id_condition(national_key),
            ),
            name and (lambda: self.env._("name only: %s", name), SQL("name = %s", name)),
        ]
        for key in filter(None, loose):
            label, condition = key
            found = self._mychat_partners_where(condition, company)
            if found:
                return found, label(), False
        return self.browse(), "", False

    @api.model
    def _mychat_id_condition(self, key):
        return SQL("(mychat_vat_key = %s OR mychat_registry_key = %s)", key, key)

    @api.model
    def _mychat_partners_where(self, condition, company=None):
        """Active partners, of ``company`` or shared, meeting ``condition`` (an equality on an indexed
        column), in the partners' usual order. Every new sender runs these lookups: one statement,
        without compiling a domain, and the record rules applied to the few partners found."""
        self.flush_model(MATCH_COLUMNS)
        company_condition = (
            SQL("AND (company_id IS NULL OR company_id = %s)", company.id) if company else SQL()
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE active AND %s %s ORDER BY complete_name, id DESC LIMIT %s",
                condition,
                company_condition,
                CANDIDATE_LIMIT,
            )
        )
        return self.browse(row[0] for row in rows)._filtered_access("read")

    @api.model
    def _mychat_match(self, phone=None, email=None, ref=None, national_id=None, country=None, company=None):
        """The partners a sender's details designate (strongest key first); one partner is a match."""
        return self._mychat_match_details(
            phone=phone, email=email, ref=ref, national_id=national_id, country=country, company=company
        )[0]

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._mychat_link_waiting_contacts()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if IDENTITY_FIELDS & set(vals):
            self._mychat_link_waiting_contacts()
        return res

    def _mychat_link_waiting_contacts(self):
        """Partners created or completed later identify the waiting senders they match: one indexed
        search for the whole batch, then the usual identification of the senders found."""
        partners = self.filtered("active")
        keys = {
            "phone": {p.mychat_phone_e164 for p in partners} - {False},
            "email": {p.email_normalized for p in partners} - {False},
            "customer_ref": {p.ref.strip() for p in partners if p.ref and p.ref.strip()},
            "national_id": {k for p in partners for k in (p.mychat_vat_key, p.mychat_registry_key)} - {False},
        }
        key_domains = [[(field, "in", list(values))] for field, values in keys.items() if values]
        if not key_domains:
            return
        Contact = self.env["mychat.contact"].sudo()
        waiting = Contact.search(Domain.AND([[("partner_id", "=", False)], Domain.OR(key_domains)]))
        waiting._mychat_identify()

    def action_mychat_link_conversation(self):
        """Candidate row button on a conversation: this partner is the sender."""
        self.ensure_one()
        conversation = self.env["mychat.conversation"].browse(self.env.context.get("mychat_conversation_id"))
        if not conversation.exists():
            raise UserError(_("Open this from a conversation to link the customer."))
        return conversation.with_context(partner_id=self.id).action_link_candidate()

    def action_view_mychat_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mychat_omnichannel.mychat_conversation_action"
        )
        action["domain"] = self._mychat_family_conversation_domain()
        action["context"] = {}
        action["name"] = _("Conversations")
        return action
