"""Keep secrets out of the logs: the access log line of a request carries its query string, where Meta puts
``hub.verify_token`` (and Odoo's links their ``access_token``). A filter on the werkzeug logger masks them."""

import logging
import re

SECRET_QUERY = re.compile(
    r"((?:hub\.verify_token|hub%2Everify_token|access_token|token)=)[^&\s\"']*", re.IGNORECASE
)


class RedactSecrets(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 -- a broken record is not ours to fix
            return True
        redacted = SECRET_QUERY.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install():
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
