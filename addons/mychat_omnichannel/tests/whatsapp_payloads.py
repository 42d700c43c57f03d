"""Builders of WhatsApp Cloud API webhook bodies, shaped like tests/samples/whatsapp_*.json, for tests
that need their own ids, senders or timestamps."""

import time

PHONE_NUMBER_ID = "106540352242922"
DANA = "972541234567"


def notification(messages=(), statuses=(), wa_id=DANA, name="Dana Levi"):
    """One ``whatsapp_business_account`` notification carrying ``messages`` and/or ``statuses``."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def text(wamid, body, wa_id=DANA, ts=None, context_id=None):
    """A text message; ``ts`` (Unix seconds) defaults to now."""
    message = {
        "from": wa_id,
        "id": wamid,
        "timestamp": str(int(ts if ts is not None else time.time())),
        "type": "text",
        "text": {"body": body},
    }
    if context_id:
        message["context"] = {"from": "15550783881", "id": context_id}
    return message


def media(wamid, kind, media_id="", url="", mime_type="image/jpeg", caption="", wa_id=DANA, ts=None, **extra):
    data = {"mime_type": mime_type, **extra}
    if media_id:
        data["id"] = media_id
    if url:
        data["url"] = url
    if caption:
        data["caption"] = caption
    return {
        "from": wa_id,
        "id": wamid,
        "timestamp": str(int(ts if ts is not None else time.time())),
        "type": kind,
        kind: data,
    }


def reaction(wamid, target, emoji, wa_id=DANA, ts=None):
    return {
        "from": wa_id,
        "id": wamid,
        "timestamp": str(int(ts if ts is not None else time.time())),
        "type": "reaction",
        "reaction": {"message_id": target, "emoji": emoji},
    }


def status(wamid, state, ts, recipient=DANA, errors=None):
    data = {"id": wamid, "status": state, "timestamp": str(int(ts)), "recipient_id": recipient}
    if errors:
        data["errors"] = errors
    return data
