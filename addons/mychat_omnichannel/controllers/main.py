import hmac
import json
import logging
from urllib.parse import urlencode

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request

from ..const import WEBHOOK_MAX_BYTES

_logger = logging.getLogger(__name__)


class MychatWebhook(http.Controller):
    _webhook_url = "/mychat/webhook/<string:token>"

    def _channel(self, token):
        return request.env["mychat.channel"].sudo().search([("webhook_token", "=", token)], limit=1)

    @staticmethod
    def _plain(body, status):
        return request.make_response(
            body, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
        )

    @http.route(_webhook_url, type="http", auth="public", methods=["GET"], csrf=False, save_session=False)
    def mychat_webhook_verify(self, token, **kwargs):
        """Meta's subscription handshake: echo hub.challenge when hub.verify_token matches."""
        channel = self._channel(token)
        if not channel:
            return self._plain("unknown channel", 404)
        args = request.httprequest.args
        expected = channel.verify_token or ""
        given = args.get("hub.verify_token", "")
        if (
            args.get("hub.mode") == "subscribe"
            and expected
            and hmac.compare_digest(expected.encode(), given.encode())
        ):
            return self._plain(args.get("hub.challenge", ""), 200)
        return self._plain("forbidden", 403)

    @http.route(_webhook_url, type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def mychat_webhook_receive(self, token, **kwargs):
        """Verify, store, acknowledge. Processing happens later, in the event cron."""
        channel = self._channel(token)
        if not channel or not channel._mychat_receives_webhooks():
            return self._plain("unknown channel", 404)
        httprequest = request.httprequest
        cap = int(
            request.env["ir.config_parameter"].sudo().get_param("mychat.webhook_max_bytes", WEBHOOK_MAX_BYTES)
        )
        if (httprequest.content_length or 0) > cap:
            return self._plain("payload too large", 413)
        httprequest.max_content_length = cap
        try:
            body = httprequest.get_data(cache=True)
        except RequestEntityTooLarge:
            return self._plain("payload too large", 413)
        if len(body) > cap:
            return self._plain("payload too large", 413)
        dedupe_key = channel._mychat_authenticate(httprequest, body)
        if not dedupe_key:
            _logger.info("MyChat: refused unsigned or wrongly signed call to channel %s", channel.id)
            return self._plain("forbidden", 403)
        content_type = (httprequest.mimetype or "application/json").lower()
        payload = body.decode("utf-8", errors="replace")
        if content_type == "application/x-www-form-urlencoded" and not body:
            # Odoo parsed the form before this route ran: store it re-encoded
            payload = urlencode(list(httprequest.form.items(multi=True)))
        state, reason = "pending", None
        if content_type != "application/x-www-form-urlencoded":
            try:
                json.loads(payload)
            except ValueError as error:
                state, reason = "failed", f"Unparseable payload: {error}"
        request.env["mychat.event"].sudo()._mychat_store(
            channel, dedupe_key, payload, content_type, state, reason
        )
        ack, ack_type = channel._mychat_webhook_ack()
        return request.make_response(ack, headers=[("Content-Type", ack_type)], status=200)
