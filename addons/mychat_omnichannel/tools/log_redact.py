"""Keep secrets out of the logs: the access log line of a request carries its query string, where Meta puts
``hub.verify_token`` (and Odoo's links their ``access_token``). A filter on the werkzeug logger masks them;
``redact`` does the same for a provider call's error text (a Telegram bot token sits in the URL's path)."""

import logging
import re

SECRET_QUERY = re.compile(
    r"((?:hub\.verify_token|hub%2Everify_token|access_token|token)=)[^&\s\"']*", re.IGNORECASE
)
# a Telegram bot token in a URL path (/bot<id>:<secret>/method), a Basic or Bearer credential in a message
SECRET_PATH = re.compile(r"(/bot)\d+:[\w-]+")
SECRET_AUTH = re.compile(r"((?:Bearer|Basic)\s+)[\w.~+/=-]+", re.IGNORECASE)


def redact(text):
    """``text`` with the secrets a URL or a header can carry masked (tokens in query strings and paths,
    Bearer and Basic credentials)."""
    text = SECRET_QUERY.sub(r"\1***", text or "")
    text = SECRET_PATH.sub(r"\1***", text)
    return SECRET_AUTH.sub(r"\1***", text)


def redact_error(error):
    """An exception as ``Type: text``, secrets masked: the technical detail kept for administrators."""
    return redact(f"{type(error).__name__}: {error}")


class RedactSecrets(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 -- a broken record is not ours to fix
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install():
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
