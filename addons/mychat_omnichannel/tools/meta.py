"""Facebook Messenger and Instagram messaging (Meta webhooks, Send API): one webhook shape for both."""

from dataclasses import dataclass
from datetime import datetime

from .inbound import InboundContact, InboundEdit, InboundMedia, InboundMessage, InboundStatus, from_timestamp

OBJECTS = {"page": "messenger", "instagram": "instagram"}
# webhook attachment type → our media kind; other types (fallback, share, reel, post, …) are links
ATTACHMENT_KINDS = {
    "image": "image",
    "video": "video",
    "audio": "audio",
    "file": "document",
    "sticker": "sticker",
}
# our outbound attachment → Send API attachment type
SEND_TYPES = {"image": "image", "video": "video", "audio": "audio"}
PROFILE_FIELDS = {"messenger": "first_name,last_name,profile_pic", "instagram": "name,username,profile_pic"}
# sent as message.metadata and echoed back: echoes of our own sends are already stored
METADATA_PREFIX = "mychat:"
QUICK_REPLIES_MAX = 13
QUICK_REPLY_TITLE_MAX = 20

WINDOW_SUBCODES = {2018278}
TRANSIENT_CODES = {1, 2, 4, 17, 32, 613, 80006}
AUTH_CODES = {10, 102, 190, 200, 230}


class PayloadError(ValueError):
    """The body is authentic but not a Messenger / Instagram notification we can read."""


@dataclass
class InboundWatermark:
    """A delivery or read receipt: every outbound message to ``contact_external_id`` sent up to
    ``watermark`` has reached ``status``."""

    contact_external_id: str
    status: str
    watermark: datetime


def from_ms(value):
    """Meta messaging timestamps are milliseconds."""
    try:
        return from_timestamp(int(value) // 1000)
    except (TypeError, ValueError):
        return from_timestamp(None)


def parse(payload, own_app_id=None):
    """Return the items of one webhook body: InboundMessage (inbound, echoes as outbound, reactions,
    postbacks), InboundEdit (unsent), InboundStatus and InboundWatermark (deliveries, reads). Echoes of
    messages our app sent (``own_app_id``, or our metadata) are skipped: they are stored when sent."""
    if not isinstance(payload, dict) or payload.get("object") not in OBJECTS:
        raise PayloadError("not a Messenger or Instagram notification")
    items = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            items.extend(_event(event, own_app_id))
    return items


def _event(event, own_app_id=None):
    sender = str((event.get("sender") or {}).get("id", ""))
    recipient = str((event.get("recipient") or {}).get("id", ""))
    date = from_ms(event.get("timestamp"))
    if event.get("message"):
        return _message(event["message"], sender, recipient, date, own_app_id)
    if event.get("postback"):
        postback = event["postback"]
        title, data = postback.get("title", ""), postback.get("payload", "")
        body = f"{title} ({data})" if title and data and data != title else title or data
        mid = postback.get("mid") or f"postback:{sender}:{event.get('timestamp')}"
        return [InboundMessage(mid, InboundContact(sender), date, body=body, message_type="postback")]
    if event.get("reaction"):
        reaction = event["reaction"]
        emoji = reaction.get("emoji") or reaction.get("reaction") or ""
        return [
            InboundMessage(
                "",
                InboundContact(sender),
                date,
                message_type="reaction",
                reaction_to_external_id=reaction.get("mid", ""),
                reaction=emoji if reaction.get("action", "react") == "react" else "",
            )
        ]
    for kind, status in (("delivery", "delivered"), ("read", "read")):
        receipt = event.get(kind)
        if receipt:
            mids = receipt.get("mids") or ([receipt["mid"]] if receipt.get("mid") else [])
            items = [InboundStatus(mid, status, date) for mid in mids]
            if receipt.get("watermark"):
                items.append(InboundWatermark(sender, status, from_ms(receipt["watermark"])))
            return items
    return []  # referrals, opt-ins, handovers: nothing to store


def _message(msg, sender, recipient, date, own_app_id=None):
    echo = bool(msg.get("is_echo"))
    ours = str(msg.get("metadata", "")).startswith(METADATA_PREFIX) or (
        own_app_id and str(msg.get("app_id", "")) == str(own_app_id)
    )
    if echo and ours:
        return []  # our own send, stored when it was sent
    media, links, seen = [], [], set()
    for attachment in msg.get("attachments") or []:
        kind, data = attachment.get("type", ""), attachment.get("payload") or {}
        url = data.get("url", "")
        if kind in ATTACHMENT_KINDS and url:
            if url not in seen:  # stickers may come twice (as image and as sticker)
                seen.add(url)
                media.append(InboundMedia(kind=ATTACHMENT_KINDS[kind], url=url))
        else:  # shares, reels, posts, fallbacks: kept as links, never downloaded
            links.append(
                " ".join(x for x in (f"[{kind}]", attachment.get("title") or data.get("title"), url) if x)
            )
    story = (msg.get("reply_to") or {}).get("story")
    body = "\n".join(
        x for x in (msg.get("text", ""), *links, story and f"[story reply] {story.get('url', '')}") if x
    )
    item = InboundMessage(
        external_id=msg.get("mid", ""),
        contact=InboundContact(recipient if echo else sender),
        date=date,
        body=body,
        message_type=media[0].kind if media else (links and "link") or "text",
        media=media,
        reply_to_external_id=(msg.get("reply_to") or {}).get("mid", ""),
        direction="outbound" if echo else "inbound",
        author_kind="agent" if echo else "customer",  # echoes: sent by a person from the Page inbox or app
    )
    return [InboundEdit(item, deleted=True)] if msg.get("is_deleted") else [item]


def profile_name(profile):
    """The display name in a profile answer (Messenger first/last name, Instagram name or username)."""
    name = " ".join(x for x in (profile.get("first_name"), profile.get("last_name")) if x)
    return name or profile.get("name") or profile.get("username") or ""


def classify_error(status_code, body):
    """Map a Graph error to (kind, code, plain-words message)."""
    error = (body or {}).get("error") or {}
    code, subcode = error.get("code"), error.get("error_subcode")
    details = error.get("message") or f"HTTP {status_code}"
    if subcode in WINDOW_SUBCODES:
        return (
            "window",
            code,
            f"The reply window is closed: the customer has not written for too long. ({details})",
        )
    if code == 551:
        return (
            "permanent",
            code,
            f"This person is not available: they blocked the Page or turned off messages. ({details})",
        )
    if status_code == 429 or status_code >= 500 or code in TRANSIENT_CODES:
        return "transient", code, f"Meta is busy or rate limiting the Page; retried later. ({details})"
    if status_code in (401, 403) or code in AUTH_CODES:
        return (
            "auth",
            code,
            f"Meta refused the Page token or its permissions: reconnect the channel. ({details})",
        )
    return "permanent", code, f"Meta refused the message. ({details})"


def send_body(recipient, message, tag=None):
    """A Send API body: ``RESPONSE`` inside the standard window, ``MESSAGE_TAG`` with ``tag`` after it."""
    body = {
        "recipient": {"id": recipient},
        "messaging_type": "MESSAGE_TAG" if tag else "RESPONSE",
        "message": message,
    }
    if tag:
        body["tag"] = tag
    return body


def text_message(text, buttons=None, metadata=None):
    message = {"text": text}
    if buttons:
        message["quick_replies"] = [
            {"content_type": "text", "title": label[:QUICK_REPLY_TITLE_MAX], "payload": label}
            for label in buttons[:QUICK_REPLIES_MAX]
        ]
    if metadata:
        message["metadata"] = metadata
    return message


def attachment_message(mimetype, url, metadata=None):
    kind = SEND_TYPES.get((mimetype or "").split("/")[0], "file")
    message = {"attachment": {"type": kind, "payload": {"url": url, "is_reusable": False}}}
    if metadata:
        message["metadata"] = metadata
    return message
