"""Webhook authenticity checks. Pure functions over raw bytes: never re-serialize a payload."""

import base64
import hashlib
import hmac
import time


def _bytes(value):
    """A header value as bytes: any character (non-ASCII included) compares, never raises."""
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)


def meta_signature(secret, body):
    """The ``X-Hub-Signature-256`` value Meta sends for ``body`` (bytes) signed with the app secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_meta(secret, body, header):
    """True when ``header`` is the valid ``X-Hub-Signature-256`` of ``body``. No secret never verifies."""
    if not secret or not header:
        return False
    return hmac.compare_digest(meta_signature(secret, body).encode(), _bytes(header.strip().lower()))


def verify_shared_secret(secret, header):
    """Telegram's ``X-Telegram-Bot-Api-Secret-Token``: a plain shared secret, compared in constant time."""
    if not secret or not header:
        return False
    return hmac.compare_digest(secret.encode(), _bytes(header))


def twilio_signature(auth_token, url, params):
    """``X-Twilio-Signature``: base64 HMAC-SHA1 over the full URL followed by the sorted POST params.
    ``params`` is a dict or a list of (name, value) pairs (a repeated name: its values sorted too)."""
    pairs = params.items() if isinstance(params, dict) else params
    data = url + "".join(f"{key}{value}" for key, value in sorted(pairs))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def verify_twilio(auth_token, url, params, header):
    if not auth_token or not header:
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, params).encode(), _bytes(header.strip()))


STANDARD_WEBHOOKS_TOLERANCE = 5 * 60


def _standard_webhooks_key(secret):
    key = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(key)
    except ValueError:
        return secret.encode()


def standard_webhooks_signature(secret, msg_id, timestamp, body):
    """``v1,<base64>`` signature of Standard Webhooks over ``{id}.{timestamp}.{body}``."""
    to_sign = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_standard_webhooks_key(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_standard_webhooks(secret, msg_id, timestamp, body, header, now=None):
    """Verify a Standard Webhooks delivery: signature list and timestamp within ±5 minutes."""
    if not (secret and msg_id and timestamp and header):
        return False
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    now = time.time() if now is None else now
    if abs(now - ts) > STANDARD_WEBHOOKS_TOLERANCE:
        return False
    expected = standard_webhooks_signature(secret, msg_id, timestamp, body)
    return any(
        hmac.compare_digest(expected.encode(), _bytes(candidate)) for candidate in header.split() if candidate
    )
