"""Telegram Bot API: parse webhook updates into normalised items, build send bodies, map errors."""

import json
from datetime import datetime, timezone

from .inbound import InboundContact, InboundEdit, InboundMedia, InboundMessage, from_timestamp

# update fields carrying a message object, and whether they are an edit of an earlier one
MESSAGE_FIELDS = {"message": False, "edited_message": True}
# media fields of a Message → (our media kind, default mimetype)
MEDIA_FIELDS = {
    "photo": ("image", "image/jpeg"),
    "document": ("document", "application/octet-stream"),
    "voice": ("audio", "audio/ogg"),
    "audio": ("audio", "audio/mpeg"),
    "video": ("video", "video/mp4"),
    "video_note": ("video", "video/mp4"),
    "animation": ("video", "video/mp4"),
    "sticker": ("sticker", "image/webp"),
}
# outbound: our media kind → (Bot API method, multipart field)
SEND_METHODS = {
    "image": ("sendPhoto", "photo"),
    "video": ("sendVideo", "video"),
    "voice": ("sendVoice", "voice"),
    "audio": ("sendAudio", "audio"),
    "document": ("sendDocument", "document"),
}
# the updates the bot subscribes to with setWebhook
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
CAPTION_MAX = 1024
CALLBACK_DATA_MAX = 64  # bytes


class PayloadError(ValueError):
    """The body is authentic but not a Telegram update we can read."""


def message_key(chat_id, message_id):
    """Telegram message ids are unique inside one chat only: our external id is ``<chat id>:<message id>``."""
    return f"{chat_id}:{message_id}"


def parse(payload):
    """Return the items carried by one update (a dict): InboundMessage, InboundEdit, or nothing for updates
    we do not handle (group chats, channel posts, polls, …)."""
    if not isinstance(payload, dict) or "update_id" not in payload:
        raise PayloadError("not a Telegram update")
    for field, is_edit in MESSAGE_FIELDS.items():
        msg = payload.get(field)
        if msg:
            if (msg.get("chat") or {}).get("type") != "private":
                return []  # only 1:1 chats are customer conversations
            item = _message(msg)
            return [InboundEdit(item)] if is_edit else [item]
    query = payload.get("callback_query")
    if query:
        return [_callback(query)]
    return []


def _contact(user):
    name = " ".join(x for x in (user.get("first_name"), user.get("last_name")) if x)
    return InboundContact(external_id=str(user.get("id", "")), name=name or user.get("username", ""))


def _message(msg):
    chat_id = msg["chat"]["id"]
    kind, media = _media_of(msg)
    reply = msg.get("reply_to_message") or {}
    return InboundMessage(
        external_id=message_key(chat_id, msg.get("message_id")),
        contact=_contact(msg.get("from") or msg["chat"]),
        date=from_timestamp(msg.get("edit_date") or msg.get("date")),
        body=_text_of(msg),
        message_type=kind,
        media=media,
        reply_to_external_id=message_key(chat_id, reply["message_id"]) if reply.get("message_id") else "",
    )


def _text_of(msg):
    if "text" in msg or "caption" in msg:
        return msg.get("text") or msg.get("caption") or ""
    if msg.get("location"):
        loc = msg["location"]
        venue = msg.get("venue") or {}
        label = " — ".join(x for x in (venue.get("title"), venue.get("address")) if x)
        url = f"https://maps.google.com/?q={loc.get('latitude')},{loc.get('longitude')}"
        return f"📍 {label}\n{url}" if label else f"📍 {url}"
    if msg.get("contact"):
        card = msg["contact"]
        name = " ".join(x for x in (card.get("first_name"), card.get("last_name")) if x)
        return f"👤 {name} {card.get('phone_number', '')}".strip()
    if msg.get("sticker"):
        return msg["sticker"].get("emoji", "")
    return ""


def _media_of(msg):
    """(message type, [InboundMedia]) of a message; photos keep their largest size only."""
    for field, (kind, default_mime) in MEDIA_FIELDS.items():
        data = msg.get(field)
        if not data:
            continue
        if field == "photo":
            data = max(
                data,
                key=lambda size: (size.get("width", 0) * size.get("height", 0), size.get("file_size", 0)),
            )
        media = InboundMedia(
            kind=kind,
            media_id=data.get("file_id", ""),
            mime_type=data.get("mime_type") or default_mime,
            filename=data.get("file_name", ""),
        )
        return ("voice" if field == "voice" else kind), [media]
    for field in ("location", "contact"):
        if msg.get(field):
            return field, []
    return "text", []


def _callback(query):
    """A tap on one of our inline buttons: an inbound message carrying the button's data."""
    msg = query.get("message") or {}
    chat_id = (msg.get("chat") or {}).get("id")
    return InboundMessage(
        external_id=f"callback:{query.get('id')}",
        contact=_contact(query.get("from") or {}),
        date=datetime.now(timezone.utc).replace(tzinfo=None),  # a callback query carries no date
        body=query.get("data", ""),
        message_type="button",
        reply_to_external_id=message_key(chat_id, msg["message_id"])
        if chat_id and msg.get("message_id")
        else "",
    )


def classify_error(status_code, body):
    """Map a Bot API error to (kind, code, plain-words message, retry_after)."""
    body = body or {}
    code = body.get("error_code") or status_code
    description = body.get("description") or f"HTTP {status_code}"
    retry_after = (body.get("parameters") or {}).get("retry_after")
    if code == 429 or status_code >= 500:
        wait = f" Telegram asks to wait {retry_after} s." if retry_after else ""
        return (
            "transient",
            code,
            f"Telegram is busy or rate limiting this bot; retried later.{wait} ({description})",
            retry_after,
        )
    if code in (401, 404):
        return "auth", code, f"Telegram refused the bot token: check it on the channel. ({description})", None
    if code == 403:
        return "permanent", code, f"The customer blocked the bot or never started it. ({description})", None
    return "permanent", code, f"Telegram refused the message. ({description})", None


def reply_markup(buttons):
    """Inline keyboard with one button per row; the callback data is the label (cut to 64 bytes)."""
    rows = []
    for label in buttons:
        data = label.encode()[:CALLBACK_DATA_MAX].decode(errors="ignore")
        rows.append([{"text": label, "callback_data": data}])
    return {"inline_keyboard": rows}


def text_body(chat_id, text, reply_to_message_id=None, buttons=None):
    body = {"chat_id": chat_id, "text": text}
    if reply_to_message_id:
        body["reply_parameters"] = {"message_id": reply_to_message_id}
    if buttons:
        body["reply_markup"] = reply_markup(buttons)
    return body


def media_fields(chat_id, caption="", reply_to_message_id=None, buttons=None):
    """The non-file form fields of a multipart sendPhoto/sendDocument/… call (objects JSON-encoded)."""
    data = {"chat_id": str(chat_id)}
    if caption:
        data["caption"] = caption
    if reply_to_message_id:
        data["reply_parameters"] = json.dumps({"message_id": reply_to_message_id})
    if buttons:
        data["reply_markup"] = json.dumps(reply_markup(buttons))
    return data


def media_kind(mimetype):
    """Our outbound media kind for an attachment's mimetype."""
    major = (mimetype or "").split("/")[0]
    if mimetype in ("image/jpeg", "image/png"):
        return "image"
    if mimetype == "audio/ogg":
        return "voice"
    if major in ("video", "audio"):
        return major
    return "document"
