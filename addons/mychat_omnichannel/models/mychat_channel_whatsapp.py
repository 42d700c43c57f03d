import base64
import hashlib

from odoo import _, models

from ..tools import whatsapp
from ..tools.provider_error import ProviderError


class MychatChannel(models.Model):
    """WhatsApp Business Cloud API. Its webhooks are signed like every Meta webhook: the shared
    ``_mychat_authenticate`` of mychat_channel_meta.py checks them."""

    _inherit = "mychat.channel"

    # ------------------------------------------------------------------
    # Provider hooks
    # ------------------------------------------------------------------

    def _mychat_parse(self, payload, event):
        if self.channel_type != "whatsapp":
            return super()._mychat_parse(payload, event)
        return self._whatsapp_parse(payload)

    def _mychat_download(self, media):
        """A media id resolves to a short-lived URL on the Graph host or Meta's media host, fetched with the
        access token; the checksum WhatsApp sends is verified."""
        if self.channel_type != "whatsapp":
            return super()._mychat_download(media)
        url, mimetype = media.url, media.mime_type
        if media.media_id:
            info = self._whatsapp_request("GET", media.media_id).json()
            url = info.get("url") or url
            mimetype = info.get("mime_type") or mimetype
        if not url:
            raise ProviderError(_("The media has neither id nor URL."), "permanent")
        content, content_type = self._mychat_fetch_media(
            url, headers={"Authorization": f"Bearer {self.sudo().access_token}"}
        )
        if media.sha256:
            digest = hashlib.sha256(content)
            if media.sha256 not in (base64.b64encode(digest.digest()).decode(), digest.hexdigest()):
                raise ProviderError(_("Media checksum mismatch."), "permanent")
        return content, (mimetype or content_type).split(";")[0].strip(), media.filename

    def _mychat_split_outbound(self, body, attachments):
        """One Graph message per attachment, the first one captioned with the text; audio and stickers take
        no caption, so the text then goes first on its own."""
        if self.channel_type != "whatsapp":
            return super()._mychat_split_outbound(body, attachments)
        if not attachments:
            return [(body, attachments)]
        first = attachments[0]
        if body and whatsapp.media_kind(first.mimetype) in ("audio", "sticker"):
            parts = [(body, attachments.browse()), ("", first)]
        else:
            parts = [(body, first)]
        return parts + [("", attachment) for attachment in attachments[1:]]

    def _mychat_send(self, message):
        if self.channel_type != "whatsapp":
            return super()._mychat_send(message)
        return self._whatsapp_send(message)

    def _mychat_classify_error(self, status, data):
        """Graph error codes: the 24-hour window (131047), rate limits and outages, expired tokens."""
        if self.channel_type != "whatsapp":
            return super()._mychat_classify_error(status, data)
        return whatsapp.classify_error(status, data)

    # ------------------------------------------------------------------
    # WhatsApp Cloud API
    # ------------------------------------------------------------------

    def _whatsapp_parse(self, payload):
        return whatsapp.parse(payload)

    def _whatsapp_request(self, method, path, **kwargs):
        """The single chokepoint for Graph API calls of a WhatsApp channel."""
        token = self.sudo().access_token
        if not token:
            raise ProviderError(_("The channel %s has no access token.", self.name), "auth")
        url = path if path.startswith("http") else f"{self.api_base_url.rstrip('/')}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        return self._mychat_http(method, url, headers=headers, **kwargs)

    def _whatsapp_send(self, message):
        """A text, a media message (uploaded first) or an approved template; return the wamid."""
        if message.template_id:
            return self._whatsapp_send_template(message)
        to = message.conversation_id.contact_id.external_id
        reply_to = message.reply_to_id.external_id or None
        attachment = message.attachment_ids[:1]
        if attachment:
            kind = whatsapp.media_kind(attachment.mimetype)
            media_id = self._whatsapp_upload(attachment, kind)
            caption = message.body if kind not in ("audio", "sticker") else ""
            payload = whatsapp.media_body(to, kind, media_id, caption, attachment.name, reply_to)
        else:
            payload = whatsapp.text_body(to, message.body or "", reply_to)
        response = self._whatsapp_request("POST", f"{self.external_account_id}/messages", json=payload)
        return (response.json().get("messages") or [{}])[0].get("id")

    def _whatsapp_send_template(self, message):
        """An approved template: allowed outside the 24-hour window."""
        template = message.template_id
        payload = whatsapp.template_body(
            message.conversation_id.contact_id.external_id,
            template.provider_name,
            template.lang,
            message.template_values or [],
        )
        data = self._whatsapp_request("POST", f"{self.external_account_id}/messages", json=payload).json()
        return (data.get("messages") or [{}])[0].get("id")

    def _whatsapp_upload(self, attachment, kind):
        response = self._whatsapp_request(
            "POST",
            f"{self.external_account_id}/media",
            data={"messaging_product": "whatsapp", "type": attachment.mimetype},
            files={"file": (attachment.name, base64.b64decode(attachment.datas or b""), attachment.mimetype)},
        )
        return response.json()["id"]
