"""Outbound webhooks to integrators: event names, the JSON body and its Standard Webhooks headers.
Pure Python, no ORM (see readme/API.md)."""

import base64
import json
import os
import uuid
from datetime import datetime, timezone

from .signatures import standard_webhooks_signature

EVENT_TYPES = (
    "message.received",
    "message.sent",
    "message.status",
    "conversation.created",
    "conversation.assigned",
    "conversation.resolved",
    "lead.linked",
)
# seconds to wait before each retry after a failed attempt (Standard Webhooks' usual schedule, shortened
# at the start): the first retry within 2 minutes, then backoff; the event is given up after the last one
RETRY_DELAYS = (60, 300, 1800, 7200, 18000, 36000)
TIMEOUT = (5, 15)


def parse_event_types(text):
    """``"a, b"`` → ``["a", "b"]`` (stripped, empty parts left out, order kept, no duplicates)."""
    return list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))


def new_secret():
    """A Standard Webhooks signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


def new_webhook_id():
    return f"msg_{uuid.uuid4().hex}"


def iso_utc(value):
    """A naive UTC datetime (Odoo's) → ``2026-06-01T10:00:00Z``."""
    if not value:
        return None
    if value.tzinfo:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def body(event_type, data, when=None):
    """The exact bytes POSTed for one event: ``{"type", "timestamp", "data"}``."""
    event = {
        "type": event_type,
        "timestamp": iso_utc(when or datetime.now(timezone.utc)),
        "data": data,
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def headers(secret, webhook_id, payload, now):
    """Headers of one delivery attempt: the id is kept across retries, the timestamp is the attempt's."""
    timestamp = str(int(now))
    return {
        "Content-Type": "application/json",
        "User-Agent": "MyChat-Webhooks/1.0",
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": standard_webhooks_signature(secret, webhook_id, timestamp, payload),
    }
