from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.identity import id_key, normalize_email
from ..tools.phone import to_e164

# partner field ← (contact field, collected data keys), contact first
ENRICH_SOURCES = {
    "phone": ("phone", ("phone", "mobile")),
    "email": ("email", ("email",)),
    "ref": ("customer_ref", ("customer_ref", "customer_number")),
    "vat": ("national_id", ("national_id", "vat", "company_registry")),
}


class MychatConversation(models.Model):
    """Customer identity and CRM on conversations: candidates, leads, activities, enrichment."""

    _inherit = "mychat.conversation"

    candidate_reason = fields.Char(related="contact_id.candidate_reason", string="Match evidence")
    enrich_phone = fields.Char(compute="_compute_enrich", string="New phone")
    enrich_email = fields.Char(compute="_compute_enrich", string="New email")
    enrich_ref = fields.Char(compute="_compute_enrich", string="New customer number")
    enrich_vat = fields.Char(compute="_compute_enrich", string="New tax / national ID")

    def _mychat_collected_value(self, partner_field):
        contact_field, data_keys = ENRICH_SOURCES[partner_field]
        if self.contact_id[contact_field]:
            return self.contact_id[contact_field]
        data = self.data_ids.filtered(lambda d: d.key in data_keys and d.value)[:1]
        return data.value or False

    @api.model
    def _mychat_partner_has(self, partner, field, value, country):
        """True when ``partner`` already holds ``value`` in ``field`` (compared normalised)."""
        if field == "phone":
            return to_e164(value, country.code) in (partner.mychat_phone_e164, None)
        if field == "email":
            return normalize_email(value) == partner.email_normalized
        if field == "ref":
            return value.strip() == (partner.ref or "").strip()
        return id_key(value) in (partner.mychat_vat_key, partner.mychat_registry_key)

    @api.depends(
        "data_ids.value",
        "contact_id.phone",
        "contact_id.email",
        "contact_id.customer_ref",
        "contact_id.national_id",
        "partner_id.mychat_phone_e164",
        "partner_id.email_normalized",
        "partner_id.ref",
        "partner_id.mychat_vat_key",
        "partner_id.mychat_registry_key",
    )
    def _compute_enrich(self):
        """Details collected in the conversation that the customer card lacks or has differently."""
        for conv in self:
            partner = conv.partner_id
            country = partner.country_id or conv.env["mychat.contact"]._mychat_phone_country(conv.channel_id)
            for field in ENRICH_SOURCES:
                value = partner and conv._mychat_collected_value(field)
                conv[f"enrich_{field}"] = (
                    value if value and not self._mychat_partner_has(partner, field, value, country) else False
                )

    def action_enrich_partner(self):
        """Copy one collected detail (``mychat_enrich_field`` in the context) onto the customer."""
        self.ensure_one()
        field = self.env.context.get("mychat_enrich_field")
        if field not in ENRICH_SOURCES or not self.partner_id:
            raise UserError(_("Link the conversation to a customer first."))
        value = self[f"enrich_{field}"]
        if value:
            self.partner_id.write({field: value})
        return True

    # ------------------------------------------------------------------
    # Identification
    # ------------------------------------------------------------------

    def _mychat_on_new(self):
        res = super()._mychat_on_new()
        for conv in self.filtered(lambda c: not c.partner_id and c.contact_id.candidate_partner_ids):
            conv.candidate_partner_ids = conv.contact_id.candidate_partner_ids
        return res

    # ------------------------------------------------------------------
    # Leads
    # ------------------------------------------------------------------

    def _mychat_lock_sender(self):
        """Serialise lead creation for one sender across transactions. Odoo runs REPEATABLE READ, so an
        advisory lock alone would let the second transaction miss the lead the first committed: touching
        the sender's rows makes it wait, then fail with a serialization error and be retried, when it
        sees that lead."""
        self.ensure_one()
        self.env.cr.execute(
            SQL("UPDATE mychat_contact SET write_date = write_date WHERE id = %s", self.contact_id.id)
        )
        if self.partner_id:
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET write_date = write_date WHERE id = %s",
                    self.partner_id.commercial_partner_id.id,
                )
            )

    def _mychat_lead_values(self, message=None):
        """A lead pre-filled from the conversation: name, customer, phone, email, UTM source (the
        channel) and medium (its type), team, and the first customer message."""
        self.ensure_one()
        contact, channel = self.contact_id, self.channel_id
        Source = self.env["utm.source"].sudo()
        source = Source.search([("name", "=", channel.name)], limit=1) or Source.create(
            {"name": channel.name}
        )
        medium_label = dict(channel._fields["channel_type"]._description_selection(self.env))[
            channel.channel_type
        ]
        first = self.mychat_message_ids.filtered(lambda m: m.direction == "inbound").sorted(
            lambda m: (m.date, m.id)
        )[:1]
        bodies = [m.body for m in (first | (message or first)) if m.body]
        return {
            "name": self.subject or f"{contact.display_name} – {channel.name}",
            "partner_id": self.partner_id.id,
            "contact_name": contact.name if not self.partner_id else False,
            "phone": contact.phone or self.partner_id.phone or False,
            "email_from": contact.email or self.partner_id.email or False,
            "team_id": (self.team_id or channel.team_id).id,
            "user_id": self.user_id.id,
            "description": Markup("<br/>").join(escape(body) for body in bodies) if bodies else False,
            "source_id": source.id,
            "medium_id": self.env["utm.medium"]
            .sudo()
            ._fetch_or_create_utm_medium(medium_label, module="mychat_omnichannel")
            .id,
            "company_id": self.company_id.id,
        }

    def action_create_opportunity(self):
        """A new opportunity, pre-filled from the conversation and linked to it."""
        self.ensure_one()
        lead = self.env["crm.lead"].create({**self._mychat_lead_values(), "type": "opportunity"})
        self.lead_id = lead
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_link_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Link a lead or opportunity"),
            "res_model": "mychat.lead.link",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_conversation_id": self.id},
        }

    def action_unlink_lead(self):
        self.lead_id = False
        return True

    # ------------------------------------------------------------------
    # Follow-up
    # ------------------------------------------------------------------

    def action_schedule_activity(self):
        """Odoo's activity scheduler on the lead, else on the customer (a conversation has no chatter)."""
        self.ensure_one()
        target = self.lead_id or self.partner_id
        if not target:
            raise UserError(_("Link a customer or a lead first: the activity is scheduled on it."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Schedule Activity"),
            "res_model": "mail.activity.schedule",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "active_model": target._name,
                "active_id": target.id,
                "active_ids": [target.id],
                "default_summary": _("Follow up: %s", self.display_name),
                "default_note": escape(self.last_message_preview or ""),
            },
        }
