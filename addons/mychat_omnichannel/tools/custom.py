"""Custom webhook channel: any gateway that can sign a small JSON body can post to MyChat and receive replies.

Both ways the raw body is signed with the channel's secret: header ``X-MyChat-Signature`` =
``sha256=<hex HMAC-SHA256 of the raw body>``. Outbound calls also carry
``Authorization: Bearer <access token>`` when the channel has one.

Inbound (gateway → ``POST /mychat/webhook/<token>``)::

    {"id": "dlv-1",                                   # delivery id: repeats of it are absorbed
     "messages": [{"id": "m-1", "timestamp": 1764650000, "text": "Hello",
                   "from": {"id": "u-42", "name": "Dana", "phone": "+972501234567", "email": "d@example.com"},
                   "reply_to": "m-0",
                   "attachments": [{"url": "https://gateway.example.com/f/1.jpg", "mime_type": "image/jpeg",
                                    "name": "1.jpg"}]}],
     "statuses": [{"id": "gw-77", "status": "delivered", "timestamp": 1764650100, "error": ""}]}

Outbound (MyChat → ``POST <api_base_url>``, answered with ``{"id": "<the gateway's message id>"}``)::

    {"type": "message", "id": "odoo-12", "to": "u-42", "text": "Hi Dana", "reply_to": "m-1",
     "attachments": [{"url": "https://odoo.example.com/web/content/…", "mime_type": "image/png",
                      "name": "a.png"}]}
"""

import hashlib
import json

from . import signatures
from .inbound import InboundContact, InboundMedia, InboundMessage, InboundStatus, from_timestamp

SIGNATURE_HEADER = "X-MyChat-Signature"
STATUSES = ("sent", "delivered", "read", "failed")
MEDIA_KINDS = ("image", "audio", "video")


class PayloadError(ValueError):
    """The body is authentic but not a custom webhook payload."""


def sign(secret, body):
    """The ``X-MyChat-Signature`` value of ``body`` (bytes): the HMAC-SHA256 scheme Meta uses too."""
    return signatures.meta_signature(secret, body)


def verify(secret, body, header):
    return signatures.verify_meta(secret, body, header)


def delivery_key(body):
    """The payload's ``id``, else a hash of the raw body."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    key = payload.get("id") if isinstance(payload, dict) else None
    return str(key) if key not in (None, "") else hashlib.sha256(body).hexdigest()


def _text(value):
    return value if isinstance(value, str) else ""


def _media(attachment):
    if not isinstance(attachment, dict) or not _text(attachment.get("url")):
        raise PayloadError("an attachment needs a url")
    mime_type = _text(attachment.get("mime_type"))
    kind = mime_type.split("/")[0]
    return InboundMedia(
        kind=kind if kind in MEDIA_KINDS else "document",
        url=attachment["url"],
        mime_type=mime_type,
        filename=_text(attachment.get("name")),
    )


def _message(item):
    sender = item.get("from") if isinstance(item, dict) else None
    if not isinstance(sender, dict) or not _text(item.get("id")) or not _text(sender.get("id")):
        raise PayloadError("a message needs an id and a from.id")
    attachments = item.get("attachments") or []
    if not isinstance(attachments, list):
        raise PayloadError("attachments must be a list")
    media = [_media(a) for a in attachments]
    return InboundMessage(
        external_id=item["id"],
        contact=InboundContact(
            external_id=sender["id"],
            name=_text(sender.get("name")),
            phone=_text(sender.get("phone")),
            email=_text(sender.get("email")),
        ),
        date=from_timestamp(item.get("timestamp")),
        body=_text(item.get("text")),
        message_type=media[0].kind if media and not item.get("text") else "text",
        media=media,
        reply_to_external_id=_text(item.get("reply_to")),
    )


def _status(item):
    if not isinstance(item, dict) or not _text(item.get("id")) or item.get("status") not in STATUSES:
        raise PayloadError(f"a status needs an id and a status in {', '.join(STATUSES)}")
    return InboundStatus(
        external_id=item["id"],
        status=item["status"],
        date=from_timestamp(item.get("timestamp")),
        error=_text(item.get("error")),
    )


def parse(payload):
    """The inbound items of one payload; PayloadError when it is not one."""
    if not isinstance(payload, dict):
        raise PayloadError("the payload must be a JSON object")
    messages, statuses = payload.get("messages") or [], payload.get("statuses") or []
    if not isinstance(messages, list) or not isinstance(statuses, list) or not (messages or statuses):
        raise PayloadError("the payload carries no messages and no statuses")
    return [_message(m) for m in messages] + [_status(s) for s in statuses]


def message_body(message_id, to, text, reply_to=None, attachments=()):
    """The JSON body of one outbound message."""
    body = {"type": "message", "id": message_id, "to": to, "text": text or ""}
    if reply_to:
        body["reply_to"] = reply_to
    if attachments:
        body["attachments"] = list(attachments)
    return body


def json_bytes(body):
    """The exact bytes that are signed and sent."""
    return json.dumps(body, ensure_ascii=False).encode()


def classify_error(status, data):
    """The gateway's error answer: ``{"error": "..."}`` when it says why."""
    reason = data.get("error") if isinstance(data, dict) else None
    message = f"The gateway answered HTTP {status}" + (f": {reason}" if isinstance(reason, str) else "")
    if status == 429 or status >= 500:
        return "transient", status, message
    if status in (401, 403):
        return "auth", status, message
    return "permanent", status, message
