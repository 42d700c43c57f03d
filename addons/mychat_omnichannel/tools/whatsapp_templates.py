"""WhatsApp message templates: read the Graph API's template list and status webhooks, build the
``type: template`` send body with its header, body variables and buttons."""

from dataclasses import dataclass

# Graph template status → mychat.template.status (None: the template is gone, archive it)
STATUSES = {
    "APPROVED": "approved",
    "PENDING": "pending",
    "IN_APPEAL": "pending",
    "REJECTED": "rejected",
    "PAUSED": "paused",
    "DISABLED": "disabled",
    "FLAGGED": "approved",
    "REINSTATED": "approved",
    "LIMIT_EXCEEDED": "paused",
    "PENDING_DELETION": None,
    "DELETED": None,
    "ARCHIVED": None,
}
CATEGORIES = {"MARKETING": "marketing", "UTILITY": "utility", "AUTHENTICATION": "authentication"}
MEDIA_FORMATS = ("IMAGE", "VIDEO", "DOCUMENT")


@dataclass
class TemplateStatus:
    """A ``message_template_status_update`` (or category / quality update) webhook change."""

    external_id: str
    name: str
    lang: str
    event: str
    reason: str = ""
    category: str = ""


def template_values(data):
    """mychat.template values of one template of ``GET /<WABA id>/message_templates``."""
    components = {(c.get("type") or "").upper(): c for c in data.get("components") or []}
    header = components.get("HEADER") or {}
    header_format = (header.get("format") or "").upper()
    media_example = ((header.get("example") or {}).get("header_handle") or [""])[0]
    status = STATUSES.get((data.get("status") or "").upper(), "pending")
    vals = {
        "external_id": str(data.get("id") or ""),
        "provider_name": data.get("name") or "",
        "name": data.get("name") or "",
        "lang": data.get("language") or "en",
        "category": CATEGORIES.get((data.get("category") or "").upper(), "utility"),
        "status": status or "disabled",
        "body": (components.get("BODY") or {}).get("text") or "",
        "header_type": header_format.lower() if header_format in ("TEXT", *MEDIA_FORMATS) else "none",
        "header_text": header.get("text") or False if header_format == "TEXT" else False,
        "footer": (components.get("FOOTER") or {}).get("text") or False,
        "buttons": [
            {k: v for k, v in button.items() if k in ("type", "text", "url", "phone_number", "example")}
            for button in (components.get("BUTTONS") or {}).get("buttons") or []
        ]
        or False,
        "active": status is not None,
    }
    if header_format in MEDIA_FORMATS and media_example:
        vals["header_media_url"] = media_example
    return vals


def parse_status_changes(payload):
    """The template changes carried by one WhatsApp Business Account webhook body."""
    items = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return items
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            field = change.get("field")
            value = change.get("value") or {}
            if field not in ("message_template_status_update", "template_category_update"):
                continue
            items.append(
                TemplateStatus(
                    external_id=str(value.get("message_template_id") or ""),
                    name=value.get("message_template_name") or "",
                    lang=value.get("message_template_language") or "",
                    event=(value.get("event") or "").upper() if field.endswith("status_update") else "",
                    reason=value.get("reason") or value.get("other_info", {}).get("description", "") or "",
                    category=(value.get("new_category") or "").upper(),
                )
            )
    return items


def send_body(to, template, values, header_media_url=None):
    """The Graph ``type: template`` message for ``template`` (a mychat.template) with ``values`` for its
    body variables; a text header takes the first value when it has a placeholder, a media header its
    URL, and buttons with a URL variable or a quick-reply payload get their parameters."""
    components = []
    if template.header_type in ("image", "video", "document"):
        url = header_media_url or template.header_media_url
        if url:
            media = {"link": url}
            if template.header_type == "document":
                media["filename"] = template.name
            components.append(
                {
                    "type": "header",
                    "parameters": [{"type": template.header_type, template.header_type: media}],
                }
            )
    elif template.header_type == "text" and "{{" in (template.header_text or "") and values:
        components.append({"type": "header", "parameters": [{"type": "text", "text": str(values[0])}]})
    if values:
        components.append(
            {"type": "body", "parameters": [{"type": "text", "text": str(value)} for value in values]}
        )
    for index, button in enumerate(template.buttons or []):
        kind = (button.get("type") or "").upper()
        if kind == "QUICK_REPLY":
            components.append(
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": str(index),
                    "parameters": [{"type": "payload", "payload": button.get("text", "")}],
                }
            )
        elif kind == "URL" and "{{" in (button.get("url") or ""):
            components.append(
                {
                    "type": "button",
                    "sub_type": "url",
                    "index": str(index),
                    "parameters": [{"type": "text", "text": str(values[0]) if values else ""}],
                }
            )
    body = {"name": template.provider_name, "language": {"code": template.lang or "en"}}
    if components:
        body["components"] = components
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": body,
    }
