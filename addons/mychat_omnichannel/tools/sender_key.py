"""A cheap guess of who sent a stored delivery, so that one sender's events are processed in order while
the events of others pass. Best effort: no key only means no ordering constraint."""

import json
from urllib.parse import parse_qsl

# where each provider names the sender, in order of preference (first found wins)
SENDER_PATHS = (
    ("entry", 0, "changes", 0, "value", "messages", 0, "from"),  # WhatsApp message
    ("entry", 0, "changes", 0, "value", "contacts", 0, "wa_id"),
    ("entry", 0, "changes", 0, "value", "statuses", 0, "recipient_id"),  # WhatsApp status
    ("entry", 0, "messaging", 0, "sender", "id"),  # Messenger / Instagram
    ("message", "chat", "id"),  # Telegram
    ("edited_message", "chat", "id"),
    ("callback_query", "from", "id"),
    ("conversation_id",),  # chatbot
    ("data", "conversation_id"),
)
MAX_KEY = 128


def sender_key(payload, content_type=""):
    try:
        if (content_type or "").startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl(payload or ""))
            value = form.get("From") or form.get("To")
            return str(value)[:MAX_KEY] if value else None
        data = json.loads(payload or "")
    except (ValueError, RecursionError, TypeError):
        return None
    for path in SENDER_PATHS:
        node = data
        for step in path:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if node is not None and not isinstance(node, (dict, list)):
            return str(node)[:MAX_KEY]
    return None
