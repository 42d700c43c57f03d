"""WhatsApp Cloud API payloads: parse a webhook body into normalised items, build send bodies."""

from .inbound import InboundContact, InboundMedia, InboundMessage, InboundStatus, from_timestamp

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")

# Graph error codes → what the sender does (see the reference's WhatsApp error table)
WINDOW_CODES = {131047}
TRANSIENT_CODES = {130429, 131056, 4, 80007, 131000, 131016, 1, 2}
AUTH_CODES = {190, 0, 10, 3}


class PayloadError(ValueError):
    """The body is authentic but not a WhatsApp notification we can read."""


def _error_text(errors):
    parts = []
    for err in errors or []:
        details = (err.get("error_data") or {}).get("details") or err.get("message") or err.get("title")
        parts.append(f"{err.get('code')}: {details}")
    return "; ".join(parts)


def _error_kind(errors):
    codes = {err.get("code") for err in errors or []}
    if codes & WINDOW_CODES:
        return "window"
    if codes & AUTH_CODES:
        return "auth"
    return "permanent"


def _text_of(msg):
    kind = msg.get("type")
    if kind == "text":
        return msg.get("text", {}).get("body", "")
    if kind in MEDIA_TYPES:
        return msg.get(kind, {}).get("caption", "")
    if kind == "location":
        loc = msg.get("location", {})
        label = " — ".join(x for x in (loc.get("name"), loc.get("address")) if x)
        url = f"https://maps.google.com/?q={loc.get('latitude')},{loc.get('longitude')}"
        return f"📍 {label}\n{url}" if label else f"📍 {url}"
    if kind == "contacts":
        lines = []
        for card in msg.get("contacts", []):
            name = (card.get("name") or {}).get("formatted_name", "")
            phones = ", ".join(p.get("phone", "") for p in card.get("phones", []))
            lines.append(f"👤 {name} {phones}".strip())
        return "\n".join(lines)
    if kind == "interactive":
        reply = msg.get("interactive", {})
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        return chosen.get("title", "")
    if kind == "button":
        return msg.get("button", {}).get("text", "")
    return ""


def _media_of(msg):
    kind = msg.get("type")
    if kind not in MEDIA_TYPES:
        return []
    data = msg.get(kind, {})
    return [
        InboundMedia(
            kind=kind,
            media_id=data.get("id", ""),
            url=data.get("url", ""),
            mime_type=data.get("mime_type", ""),
            filename=data.get("filename", ""),
            sha256=data.get("sha256", ""),
        )
    ]


def parse(payload):
    """Return the list of InboundMessage / InboundStatus carried by one webhook body (a dict)."""
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise PayloadError("not a WhatsApp Business Account notification")
    items = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            profiles = {}
            for contact in value.get("contacts") or []:
                key = contact.get("wa_id") or contact.get("user_id")
                profiles[key] = contact
            for msg in value.get("messages") or []:
                items.append(_message(msg, profiles))
            for status in value.get("statuses") or []:
                items.append(
                    InboundStatus(
                        external_id=status.get("id", ""),
                        status=status.get("status", ""),
                        date=from_timestamp(status.get("timestamp")),
                        error=_error_text(status.get("errors")),
                        error_kind=_error_kind(status.get("errors")),
                    )
                )
    return items


def _message(msg, profiles):
    sender = msg.get("from") or msg.get("from_user_id") or ""
    profile = profiles.get(sender) or {}
    contact = InboundContact(
        external_id=sender,
        name=(profile.get("profile") or {}).get("name", ""),
        phone=f"+{sender}" if sender.isdigit() else "",
    )
    if profile.get("user_id"):
        contact.values["business_user_id"] = profile["user_id"]
    kind = msg.get("type", "")
    item = InboundMessage(
        external_id=msg.get("id", ""),
        contact=contact,
        date=from_timestamp(msg.get("timestamp")),
        body=_text_of(msg),
        message_type=kind,
        media=_media_of(msg),
        reply_to_external_id=(msg.get("context") or {}).get("id", ""),
    )
    if kind == "reaction":
        reaction = msg.get("reaction", {})
        item.reaction_to_external_id = reaction.get("message_id", "")
        item.reaction = reaction.get("emoji", "")
    elif kind == "unsupported" or msg.get("errors"):
        item.error = _error_text(msg.get("errors")) or "unsupported message type"
    return item


def classify_error(status_code, body):
    """Map a Graph error response to (kind, message) for ProviderError."""
    error = (body or {}).get("error") or {}
    code = error.get("code")
    details = (error.get("error_data") or {}).get("details") or error.get("message") or f"HTTP {status_code}"
    message = f"({code}) {details}" if code is not None else details
    if code in WINDOW_CODES:
        return "window", code, message
    if status_code == 429 or status_code >= 500 or code in TRANSIENT_CODES:
        return "transient", code, message
    if status_code in (401, 403) or code in AUTH_CODES:
        return "auth", code, message
    return "permanent", code, message


def text_body(to, text, reply_to=None):
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": "http" in text, "body": text},
    }
    if reply_to:
        body["context"] = {"message_id": reply_to}
    return body


def media_body(to, kind, media_id, caption="", filename="", reply_to=None):
    media = {"id": media_id}
    if caption and kind in ("image", "video", "document"):
        media["caption"] = caption
    if filename and kind == "document":
        media["filename"] = filename
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: media,
    }
    if reply_to:
        body["context"] = {"message_id": reply_to}
    return body


def media_kind(mimetype):
    """WhatsApp media type for an attachment's mimetype."""
    major = (mimetype or "").split("/")[0]
    if mimetype == "image/webp":
        return "sticker"
    if major in ("image", "audio", "video"):
        return major
    return "document"


def template_body(to, name, language, params):
    """A Graph ``type: template`` message: the approved template ``name`` with its body parameters."""
    template = {"name": name, "language": {"code": language or "en"}}
    if params:
        template["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": str(value)} for value in params]}
        ]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": template,
    }
