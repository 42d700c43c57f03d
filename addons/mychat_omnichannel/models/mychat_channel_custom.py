from odoo import models

from ..tools import custom


class MychatChannel(models.Model):
    """Custom webhook: a generic signed channel any gateway can post to (payloads in tools/custom.py).
    ``secret`` signs both ways; ``api_base_url`` is the gateway's outbound URL, where replies are POSTed (with
    ``access_token``, when set, as a Bearer token)."""

    _inherit = "mychat.channel"

    # ------------------------------------------------------------------
    # Provider hooks
    # ------------------------------------------------------------------

    def _mychat_authenticate(self, httprequest, body):
        """``X-MyChat-Signature: sha256=<hex HMAC-SHA256 of the raw body>`` with the channel secret."""
        if self.channel_type != "custom":
            return super()._mychat_authenticate(httprequest, body)
        if not custom.verify(self.sudo().secret, body, httprequest.headers.get(custom.SIGNATURE_HEADER)):
            return None
        return custom.delivery_key(body)

    def _mychat_parse(self, payload, event):
        if self.channel_type != "custom":
            return super()._mychat_parse(payload, event)
        return custom.parse(payload)

    def _mychat_download(self, media):
        """Attachment URLs come from the gateway: fetched from the host of its outbound URL only."""
        if self.channel_type != "custom":
            return super()._mychat_download(media)
        content, content_type = self._mychat_fetch_media(media.url)
        return content, media.mime_type or content_type, media.filename or media.kind

    def _mychat_send(self, message):
        """POST the signed message to the gateway; its answer's ``id`` becomes the provider id."""
        if self.channel_type != "custom":
            return super()._mychat_send(message)
        url, secret = self._mychat_endpoint_and_secret()
        local_id = f"odoo-{message.id}"
        body = custom.message_body(
            local_id,
            message.conversation_id.contact_id.external_id,
            message.body,
            message.reply_to_id.external_id or None,
            [
                {"url": self._mychat_public_attachment_url(a), "mime_type": a.mimetype, "name": a.name}
                for a in message.attachment_ids
            ],
        )
        raw = custom.json_bytes(body)
        headers = {"Content-Type": "application/json", custom.SIGNATURE_HEADER: custom.sign(secret, raw)}
        if self.sudo().access_token:
            headers["Authorization"] = f"Bearer {self.sudo().access_token}"
        response = self._mychat_http("POST", url, data=raw, headers=headers)
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        return str(answer.get("id") or local_id) if isinstance(answer, dict) else local_id

    def _mychat_classify_error(self, status, data):
        if self.channel_type != "custom":
            return super()._mychat_classify_error(status, data)
        return custom.classify_error(status, data)

    def _mychat_composer_features(self):
        if self.channel_type != "custom":
            return super()._mychat_composer_features()
        return ("media",)
