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
        return request.env["mychat.channel"].sudo()._mychat_for_token(token)

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

    @staticmethod
    def _mychat_read_body(httprequest, cap):
        """The raw body, read in chunks and abandoned past ``cap`` bytes (None): a chunked body has no
        Content-Length to refuse up front, and must not be read whole first."""
        raw = getattr(httprequest, "_HTTPRequest__wrapped", httprequest)
        cached = getattr(raw, "_cached_data", None)
        if cached is not None:
            return cached
        stream, chunks, size = raw.stream, [], 0
        while True:
            chunk = stream.read(min(64 * 1024, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return None
        body = b"".join(chunks)
        raw._cached_data = body
        return body

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
            body = self._mychat_read_body(httprequest, cap)
        except RequestEntityTooLarge:
            return self._plain("payload too large", 413)
        if body is None or len(body) > cap:
            return self._plain("payload too large", 413)
        try:
            dedupe_key = channel._mychat_authenticate(httprequest, body)
        except (ValueError, TypeError, UnicodeError, RecursionError) as error:
            # a malformed header (bad Host port, undecodable signature): the caller's fault, never a 500
            _logger.info(
                "MyChat: refused malformed call to channel %s (%s)", channel.id, type(error).__name__
            )
            return self._plain("bad request", 400)
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
            except RecursionError:
                state, reason = "failed", "Unparseable payload: nested too deeply"
        if "\x00" in payload:
            # PostgreSQL text cannot hold NUL: keep the body (NUL shown as U+FFFD) and say why it failed
            payload = payload.replace("\x00", "\ufffd")
            state, reason = "failed", "Unprocessable payload: it contains a NUL byte"
        request.env["mychat.event"].sudo()._mychat_store(
            channel, dedupe_key, payload, content_type, state, reason
        )
        ack, ack_type = channel._mychat_webhook_ack()
        return request.make_response(ack, headers=[("Content-Type", ack_type)], status=200)
