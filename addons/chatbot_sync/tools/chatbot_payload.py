"""The chatbot webhook contract (see readme/USAGE.md): parse one event into normalised items, build the
events MyChat sends back to the bot. Pure Python, no ORM."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMedia, InboundMessage
from odoo.addons.mychat_omnichannel.tools.signatures import standard_webhooks_signature

EVENT_TYPES = ("message.created", "conversation.completed", "conversation.handoff_requested")
# role in the payload → (mychat.message author_kind, direction)
ROLES = {
    "user": ("customer", "inbound"),
    "bot": ("bot", "outbound"),
    "agent": ("agent", "outbound"),
    "system": ("system", "outbound"),
}
CONTACT_VALUES = ("customer_ref", "national_id", "lang")


class PayloadError(ValueError):
    """Authentic, but not an event of the chatbot contract."""


@dataclass
class ChatbotConversationEvent:
    """What an event says about the conversation itself (no message): applied after its messages."""

    conversation_id: str
    contact: InboundContact
    subject: str = ""
    collected: list = field(default_factory=list)  # (key, label, value)
    handoff_reason: str = ""
    handoff: bool = False
    completed_at: datetime | None = None
    outcome: str = ""  # the bot's outcome.status (completed, handoff_requested, abandoned, …)


def parse_datetime(value):
    """ISO 8601 (``Z`` or offset) or Unix seconds to a naive UTC datetime; now when missing or invalid."""
    try:
        if isinstance(value, (int, float)):
            parsed = datetime.fromtimestamp(value, tz=timezone.utc)
        else:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(timezone.utc).replace(tzinfo=None)


def message_external_id(conversation_id, message_id):
    """mychat.message.external_id of a bot conversation's message: message ids are unique per conversation."""
    return f"{conversation_id}:{message_id}"


def _contact(data, conversation_id):
    data = data if isinstance(data, dict) else {}
    channel = data.get("channel") if isinstance(data.get("channel"), dict) else {}
    external_id = str(
        data.get("external_id") or channel.get("external_user_id") or f"conversation:{conversation_id}"
    )
    values = {key: str(data[key]) for key in CONTACT_VALUES if data.get(key)}
    return InboundContact(
        external_id=external_id,
        name=str(data.get("name") or ""),
        phone=str(data.get("phone") or ""),
        email=str(data.get("email") or ""),
        values=values,
    )


def _media(attachment):
    mime_type = str(attachment.get("mime_type") or "")
    kind = mime_type.split("/")[0] if mime_type.split("/")[0] in ("image", "audio", "video") else "document"
    return InboundMedia(
        kind=kind,
        url=str(attachment.get("url") or ""),
        mime_type=mime_type,
        filename=str(attachment.get("name") or ""),
    )


def _message(raw, conversation_id, contact):
    if not isinstance(raw, dict) or not raw.get("id"):
        raise PayloadError("every message needs an id")
    role = raw.get("role", "user")
    if role not in ROLES:
        raise PayloadError(f"unknown role {role!r}")
    author_kind, direction = ROLES[role]
    return InboundMessage(
        external_id=message_external_id(conversation_id, raw["id"]),
        contact=contact,
        date=parse_datetime(raw.get("ts")),
        body=str(raw.get("text") or ""),
        direction=direction,
        author_kind=author_kind,
        media=[_media(a) for a in raw.get("attachments") or [] if isinstance(a, dict)],
        thread_key=str(conversation_id),
    )


def _collected(fields):
    """``{key: {"label", "value", "collected"}}`` or ``{key: value}`` → [(key, label, value)], uncollected
    and empty values left out."""
    rows = []
    for key, item in (fields or {}).items() if isinstance(fields, dict) else ():
        if isinstance(item, dict):
            if item.get("collected") is False or item.get("value") in (None, ""):
                continue
            label, value = item.get("label") or key, item["value"]
        elif item in (None, ""):
            continue
        else:
            label, value = key, item
        rows.append(
            (str(key), str(label), value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        )
    return rows


def parse(payload):
    """One chatbot event → [InboundMessage, …, ChatbotConversationEvent]. The messages of ``message``
    and ``transcript`` are merged by id (the same id twice is one message)."""
    if not isinstance(payload, dict):
        raise PayloadError("the body is not a JSON object")
    event_type = payload.get("type")
    if event_type not in EVENT_TYPES:
        raise PayloadError(f"unsupported event type {event_type!r}")
    conversation_id = payload.get("conversation_id")
    if not conversation_id:
        raise PayloadError("conversation_id is missing")
    conversation_id = str(conversation_id)
    contact = _contact(payload.get("contact") or {"channel": payload.get("channel")}, conversation_id)
    raw_messages = list(payload.get("transcript") or [])
    if payload.get("message"):
        raw_messages.append(payload["message"])
    messages = {}
    for raw in raw_messages:
        message = _message(raw, conversation_id, contact)
        messages.setdefault(message.external_id, message)
    outcome = payload.get("outcome") if isinstance(payload.get("outcome"), dict) else {}
    handoff = event_type == "conversation.handoff_requested" or outcome.get("status") == "handoff_requested"
    conversation_event = ChatbotConversationEvent(
        conversation_id=conversation_id,
        contact=contact,
        subject=str(payload.get("subject") or ""),
        collected=_collected(payload.get("collected_fields")),
        handoff=handoff,
        handoff_reason=str(outcome.get("reason") or payload.get("reason") or "") if handoff else "",
        completed_at=parse_datetime(payload.get("ended_at"))
        if event_type == "conversation.completed"
        else None,
        outcome=str(outcome.get("status") or "")[:64],
    )
    return [*sorted(messages.values(), key=lambda m: m.date), conversation_event]


def signed_request(secret, event, now):
    """Body and Standard Webhooks headers of one event MyChat sends to a bot."""
    body = json.dumps(event, ensure_ascii=False).encode()
    msg_id = f"msg_{uuid.uuid4().hex}"
    timestamp = str(int(now))
    headers = {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": standard_webhooks_signature(secret, msg_id, timestamp, body),
    }
    return body, headers
