from odoo import api, fields, models

from ..tools import templates
from .mychat_channel import CHANNEL_TYPES

TEMPLATE_CATEGORIES = [
    ("utility", "Utility"),
    ("marketing", "Marketing"),
    ("authentication", "Authentication"),
]
HEADER_TYPES = [
    ("none", "None"),
    ("text", "Text"),
    ("image", "Image"),
    ("video", "Video"),
    ("document", "Document"),
]
# What each {{n}} of a template is filled with by default when sent from a record (see _mychat_fill)
DEFAULT_VARIABLE_SOURCES = "partner.name, user.name, company.name"


class MychatTemplate(models.Model):
    _name = "mychat.template"
    _description = "MyChat Approved Message Template"
    _order = "name, id"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, default="whatsapp")
    channel_id = fields.Many2one("mychat.channel", help="Empty: every channel of this type.")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    lang = fields.Char(
        string="Language code",
        required=True,
        default="en",
        help="The provider's language code, e.g. en_US, he, ar.",
    )
    provider_name = fields.Char(
        string="Provider template name",
        required=True,
        help="The template's name as approved by the provider.",
    )
    external_id = fields.Char(
        string="Provider template id", readonly=True, copy=False, index="btree_not_null"
    )
    body = fields.Text(required=True, help="The approved text; {{1}}, {{2}}, … are filled in when sending.")
    variable_count = fields.Integer(compute="_compute_variable_count")
    status = fields.Selection(
        [
            ("draft", "Draft"),
            ("pending", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("paused", "Paused"),
            ("disabled", "Disabled"),
        ],
        default="approved",
        required=True,
    )
    status_reason = fields.Char(readonly=True, help="The provider's reason for the last status change.")
    category = fields.Selection(
        TEMPLATE_CATEGORIES,
        default="utility",
        required=True,
        help="Marketing templates go only to customers who opted in on the channel.",
    )
    header_type = fields.Selection(HEADER_TYPES, default="none", required=True)
    header_text = fields.Char(help="Text header; {{1}} is filled with the first value.")
    header_media_url = fields.Char(
        string="Header media URL", help="Public URL of the image, video or document sent as the header."
    )
    footer = fields.Char()
    buttons = fields.Json(help="The template's buttons as the provider lists them: type, text, url, phone.")
    buttons_summary = fields.Char(compute="_compute_buttons_summary", string="Button labels")
    variable_sources = fields.Char(
        default=DEFAULT_VARIABLE_SOURCES,
        help="What fills {{1}}, {{2}}, … when sent from a record, comma separated: partner.<field>, "
        "user.<field> (the salesperson), lead.<field>, company.<field>, or a quoted text.",
    )
    synced_date = fields.Datetime(string="Last synchronised", readonly=True)

    @api.depends("body")
    def _compute_variable_count(self):
        for template in self:
            template.variable_count = templates.variable_count(template.body)

    @api.depends("buttons")
    def _compute_buttons_summary(self):
        for template in self:
            template.buttons_summary = ", ".join(b.get("text", "") for b in template.buttons or []) or False

    def _mychat_render(self, values):
        self.ensure_one()
        return templates.render(self.body, values)

    def _mychat_preview(self, values):
        """The whole message as the customer sees it: header, body, footer and buttons."""
        self.ensure_one()
        parts = []
        if self.header_type == "text" and self.header_text:
            parts.append(templates.render(self.header_text, values[:1]))
        elif self.header_type not in ("none", "text"):
            parts.append(f"[{self.header_type}]")
        parts.append(self._mychat_render(values))
        if self.footer:
            parts.append(self.footer)
        if self.buttons:
            parts.append(" | ".join(f"[{b.get('text', '')}]" for b in self.buttons))
        return "\n".join(parts)

    def _mychat_fill(self, partner=None, lead=None, user=None):
        """Default values of the template's variables, taken from the record it is sent from: the
        partner, the lead, the salesperson (the lead's, else the partner's, else the current user) and
        the company."""
        self.ensure_one()
        partner = partner or (lead and lead.partner_id) or self.env["res.partner"]
        user = user or (lead and lead.user_id) or partner.user_id or self.env.user
        records = {
            "partner": partner,
            "lead": lead or self.env["crm.lead"],
            "user": user,
            "company": self.channel_id.company_id or self.env.company,
        }
        sources = self.env.context.get("mychat_variable_sources") or self.variable_sources
        sources = [s.strip() for s in (sources or DEFAULT_VARIABLE_SOURCES).split(",")]
        values = []
        for index in range(self.variable_count):
            source = sources[index] if index < len(sources) else ""
            values.append(self._mychat_resolve(source, records))
        return values

    @api.model
    def _mychat_resolve(self, source, records):
        if source[:1] in ("'", '"'):
            return source.strip("'\"")
        head, _sep, path = source.partition(".")
        record = records.get(head)
        if record is None or not path:
            return ""
        value = record.sudo()
        for name in path.split("."):
            if not isinstance(value, models.BaseModel) or name not in value._fields:
                return ""  # an unknown source leaves the value for the user to type
            value = value[:1][name]
        if isinstance(value, models.BaseModel):
            value = value.display_name
        return "" if value in (False, None) else str(value)

    @api.model
    def _mychat_usable_for(self, channel):
        return self.search(
            [
                ("status", "=", "approved"),
                ("channel_type", "=", channel.channel_type),
                ("channel_id", "in", [False, channel.id]),
            ]
        )
