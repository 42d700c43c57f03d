import json

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _post_dispatch(cls, response):
        """A live chat request refused by a MyChat rate limit (see controllers/livechat_guard.py) answers
        HTTP 429 with Retry-After. The refusal is a normal return, so the blocked-attempt counter commits."""
        res = super()._post_dispatch(response)
        retry_after = getattr(request, "mychat_retry_after", 0)
        if retry_after and response is not None:
            response.status_code = 429
            response.headers["Retry-After"] = str(retry_after)
            if response.mimetype == "application/json":
                body = {
                    "jsonrpc": "2.0",
                    "id": getattr(request.dispatcher, "request_id", None),
                    "error": {
                        "code": 429,
                        "message": request.env["mychat.rate.block"]._mychat_blocked_message(),
                        "data": {"name": "mychat.too_many_requests", "retry_after": retry_after},
                    },
                }
                response.set_data(json.dumps(body))
        return res
