"""Expiring links to outbound files for providers that fetch media by URL (Twilio MMS)."""

import time

from odoo import http
from odoo.http import request
from odoo.tools.misc import consteq, hmac

SCOPE = "mychat-media-link"


def media_signature(env, attachment_id, expires):
    return hmac(env(su=True), SCOPE, f"{attachment_id}:{expires}")


class MychatMedia(http.Controller):
    @http.route(
        "/mychat/media/<int:attachment_id>/<int:expires>/<string:signature>",
        type="http",
        auth="public",
        methods=["GET", "HEAD"],
        save_session=False,
    )
    def mychat_media(self, attachment_id, expires, signature, **kwargs):
        expected = media_signature(request.env, attachment_id, expires)
        if not consteq(expected, signature) or expires < time.time():
            return request.make_response("link expired or invalid", status=403)
        attachment = request.env["ir.attachment"].sudo().browse(attachment_id).exists()
        if not attachment:
            return request.make_response("not found", status=404)
        return request.env["ir.binary"]._get_stream_from(attachment).get_response(as_attachment=False)
