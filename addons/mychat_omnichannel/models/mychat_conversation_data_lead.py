from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# collected data key → crm.lead field it fills ("description": appended to the lead's notes)
LEAD_FIELD_KEYS = {
    "email_from": ("email", "email_from", "e_mail"),
    "phone": ("phone", "mobile", "phone_number", "telephone"),
    "contact_name": ("name", "contact_name", "full_name", "customer_name"),
    "partner_name": ("company", "company_name", "organization", "organisation"),
    "function": ("function", "job", "job_title", "position"),
    "website": ("website", "url", "site"),
    "street": ("street", "address"),
    "city": ("city", "town"),
    "zip": ("zip", "postcode", "postal_code"),
    "expected_revenue": ("budget", "expected_revenue", "amount"),
}
LEAD_FIELDS = [
    ("email_from", "Email"),
    ("phone", "Phone"),
    ("contact_name", "Contact name"),
    ("partner_name", "Company name"),
    ("function", "Job position"),
    ("website", "Website"),
    ("street", "Street"),
    ("city", "City"),
    ("zip", "ZIP"),
    ("expected_revenue", "Expected revenue"),
    ("description", "Notes"),
]


def lead_field_for(key):
    key = (key or "").strip().lower()
    return next((field for field, keys in LEAD_FIELD_KEYS.items() if key in keys), "description")


class MychatConversationData(models.Model):
    """Collected data on the lead: each row can be set on the conversation's lead ("Set on lead")."""

    _inherit = "mychat.conversation.data"

    lead_id = fields.Many2one(related="conversation_id.lead_id", string="Lead")
    lead_field = fields.Selection(
        LEAD_FIELDS,
        string="Lead field",
        compute="_compute_lead_field",
        store=True,
        readonly=False,
        help="The lead field this value fills with Set on lead (Notes: added to the lead's notes).",
    )
    on_lead = fields.Boolean(compute="_compute_on_lead", string="On the lead")

    @api.depends("key")
    def _compute_lead_field(self):
        for row in self:
            row.lead_field = lead_field_for(row.key)

    def _mychat_lead_text(self):
        return f"{self.label or self.key}: {self.value or ''}"

    @api.depends(
        "value",
        "lead_field",
        "conversation_id.lead_id",
        *(f"conversation_id.lead_id.{f}" for f, _l in LEAD_FIELDS),
    )
    def _compute_on_lead(self):
        for row in self:
            lead, field = row.conversation_id.lead_id, row.lead_field or "description"
            if not lead or not row.value:
                row.on_lead = False
            elif field == "description":
                row.on_lead = row._mychat_lead_text() in (lead.description and str(lead.description) or "")
            elif field == "expected_revenue":
                row.on_lead = row._mychat_amount() == lead.expected_revenue
            else:
                row.on_lead = (lead[field] or "").strip().lower() == row.value.strip().lower()

    def _mychat_amount(self):
        text = "".join(ch for ch in (self.value or "") if ch.isdigit() or ch in ".,").replace(",", "")
        try:
            return float(text)
        except ValueError:
            return None

    def action_set_on_lead(self):
        """Copy the value onto the conversation's lead (the lead field of the row); a value the lead
        already holds is left as it is."""
        for row in self:
            lead = row.conversation_id.lead_id
            if not lead:
                raise UserError(_("Link the conversation to a lead first."))
            if row.on_lead or not row.value:
                continue
            field = row.lead_field or "description"
            if field == "description":
                line = Markup("<p>%s</p>") % row._mychat_lead_text()
                lead.description = Markup("%s%s") % (lead.description or Markup(""), line)
            elif field == "expected_revenue":
                amount = row._mychat_amount()
                if amount is None:
                    raise UserError(_("%s is not an amount.", row.value))
                lead.expected_revenue = amount
            else:
                lead[field] = row.value.strip()
        return True
