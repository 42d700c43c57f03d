"""SMS / MMS through a Twilio-compatible Messages API: signature URLs, form payloads, send forms, errors."""

from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

from .inbound import InboundContact, InboundMedia, InboundMessage, InboundStatus
from .phone import to_e164

# Twilio MessageStatus → our delivery state (the rest — sending, receiving, scheduled, … — is ignored)
STATUSES = {
    "queued": "queued",
    "accepted": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}
INBOUND_STATUSES = ("received", "receiving")
# the answer to an accepted webhook: empty TwiML, no automatic reply
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
MEDIA_MAX = 10  # Twilio sends up to 10 media per MMS
# Twilio error codes, in plain words (send errors and delivery ErrorCodes)
ERRORS = {
    20003: ("auth", "Twilio refused the Account SID / auth token of the channel."),
    20429: ("transient", "Twilio is rate limiting this account; retried later."),
    21211: ("permanent", "The customer's number is not a valid phone number."),
    21408: ("permanent", "This account may not send SMS to the customer's country."),
    21606: ("permanent", "The channel's sender number cannot send SMS."),
    21608: ("permanent", "A trial account can only send to verified numbers."),
    21610: ("permanent", "The customer unsubscribed (replied STOP) from this number."),
    21614: ("permanent", "The customer's number cannot receive SMS (landline?)."),
    30003: ("permanent", "The customer's phone is unreachable or switched off."),
    30004: ("permanent", "The message was blocked by the customer or their carrier."),
    30005: ("permanent", "The customer's number is unknown or no longer exists."),
    30006: ("permanent", "The customer's number is a landline or unreachable carrier."),
    30007: ("permanent", "The carrier filtered the message as spam."),
    30008: ("permanent", "Unknown delivery error reported by the carrier."),
    63016: ("window", "Outside the 24-hour WhatsApp window: send a template."),
    63017: ("transient", "Rate limit reached; retried later."),
    63018: ("transient", "Rate limit reached; retried later."),
}


class PayloadError(ValueError):
    """The form is authentic but neither an inbound message nor a status callback."""


def url_variants(url):
    """The URL with and without its default port: Twilio's signing of ports is inconsistent."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    variants = [url]
    if default and parts.port in (None, default):
        host = parts.hostname or ""
        variants += [
            urlunsplit(parts._replace(netloc=host)),
            urlunsplit(parts._replace(netloc=f"{host}:{default}")),
        ]
    return list(dict.fromkeys(variants))


def dedupe_key(form):
    """MessageSid for an inbound message; MessageSid + status for a status callback (one per transition)."""
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = form.get("MessageStatus") or form.get("SmsStatus")
    if not sid:
        return None
    return sid if not status or status in INBOUND_STATUSES else f"{sid}:{status}"


def _error(code):
    """(kind, plain words) of a Twilio error code; unknown codes are permanent refusals."""
    try:
        return ERRORS.get(int(code), ("permanent", ""))
    except (TypeError, ValueError):
        return "permanent", ""


def error_text(code, message=""):
    """A Twilio error code in plain words, with the code for the admin."""
    plain = _error(code)[1]
    return " ".join(x for x in (plain or message or "Twilio reported an error.", f"(error {code})") if x)


def parse(form, country_code=None):
    """Return the items of one form payload (a dict): an InboundMessage, or an InboundStatus."""
    status = form.get("MessageStatus") or form.get("SmsStatus") or ""
    sid = form.get("MessageSid") or form.get("SmsSid")
    if not sid:
        raise PayloadError("no MessageSid in the form")
    if status and status not in INBOUND_STATUSES:
        if status not in STATUSES:
            return []
        code = form.get("ErrorCode")
        error = error_text(code, form.get("ErrorMessage", "")) if code else ""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        return [InboundStatus(sid, STATUSES[status], now, error, _error(code)[0] if code else "permanent")]
    number = _number(form.get("From"), country_code)
    if not number:
        raise PayloadError("no sender number in the form")
    media = []
    for index in range(min(_int(form.get("NumMedia")), MEDIA_MAX)):
        url = form.get(f"MediaUrl{index}")
        if url:
            mime = form.get(f"MediaContentType{index}", "")
            media.append(InboundMedia(kind=_media_kind(mime), url=url, mime_type=mime))
    body = form.get("Body", "")
    if form.get("Latitude") and form.get("Longitude"):
        label = " — ".join(x for x in (form.get("Label"), form.get("Address")) if x)
        url = f"https://maps.google.com/?q={form['Latitude']},{form['Longitude']}"
        body = "\n".join(x for x in (body, f"📍 {label}".strip(), url) if x and x != "📍")
    return [
        InboundMessage(
            external_id=sid,
            contact=InboundContact(external_id=number, name=form.get("ProfileName", ""), phone=number),
            date=datetime.now(timezone.utc).replace(tzinfo=None),  # Twilio sends no timestamp
            body=body,
            message_type="mms" if media else "text",
            media=media,
            reply_to_external_id=form.get("OriginalRepliedMessageSid", ""),
        )
    ]


def _number(value, country_code):
    """E.164 of a Twilio address (``+14155551234``, or ``whatsapp:+14155551234``)."""
    value = (value or "").split(":")[-1]
    return to_e164(value, country_code) or value


def _int(value):
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _media_kind(mimetype):
    major = (mimetype or "").split("/")[0]
    return major if major in ("image", "audio", "video") else "document"


def classify_error(status_code, body):
    """Map a Messages API error to (kind, code, plain-words message)."""
    body = body or {}
    code = body.get("code")
    kind, plain = ERRORS.get(code, (None, None)) if isinstance(code, int) else (None, None)
    message = f"{plain or body.get('message') or f'HTTP {status_code}'} (error {code or status_code})"
    if kind:
        return kind, code, message
    if status_code == 429 or status_code >= 500:
        return "transient", code, message
    if status_code in (401, 403):
        return "auth", code, message
    return "permanent", code, message


def send_form(to, sender, body, media_urls=(), status_callback=None):
    """The Messages.json form: ``From`` (a number) or ``MessagingServiceSid`` (an ``MG…`` sender)."""
    form = [("To", to), ("MessagingServiceSid" if sender.startswith("MG") else "From", sender)]
    if body:
        form.append(("Body", body))
    form.extend(("MediaUrl", url) for url in media_urls)
    if status_callback:
        form.append(("StatusCallback", status_callback))
    return form
