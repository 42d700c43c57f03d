import time

from odoo import _, fields, models

from odoo.addons.mychat_omnichannel.tools import signatures
from odoo.addons.mychat_omnichannel.tools.provider_error import ProviderError

from ..tools import chatbot_payload


class MychatChannel(models.Model):
    """External bots (``channel_type = chatbot``): Standard Webhooks both ways, the bot's endpoint being
    ``api_base_url``."""

    _inherit = "mychat.channel"

    # ------------------------------------------------------------------
    # Provider hooks
    # ------------------------------------------------------------------

    def _mychat_authenticate(self, httprequest, body):
        """Standard Webhooks: the ``webhook-id`` is the delivery key, stale timestamps are refused."""
        if self.channel_type != "chatbot":
            return super()._mychat_authenticate(httprequest, body)
        headers = httprequest.headers
        msg_id = headers.get("webhook-id")
        if not signatures.verify_standard_webhooks(
            self.sudo().secret,
            msg_id,
            headers.get("webhook-timestamp"),
            body,
            headers.get("webhook-signature"),
        ):
            return None
        return msg_id

    def _mychat_parse(self, payload, event):
        if self.channel_type != "chatbot":
            return super()._mychat_parse(payload, event)
        return chatbot_payload.parse(payload)

    def _mychat_apply_item(self, item, event):
        if isinstance(item, chatbot_payload.ChatbotConversationEvent):
            return self.env["mychat.conversation"].sudo()._chatbot_apply_event(self, item)
        return super()._mychat_apply_item(item, event)

    def _mychat_download(self, media):
        """Attachment URLs come from the bot: fetched only from the host of api_base_url."""
        if self.channel_type != "chatbot":
            return super()._mychat_download(media)
        if not media.url:
            raise ProviderError(_("The attachment has no URL."), "permanent")
        content, content_type = self._mychat_fetch_media(media.url)
        return content, media.mime_type or content_type, media.filename

    def _mychat_send(self, message):
        """A reply written in MyChat reaches the customer through the bot, as a ``message.created`` event
        whose message id the bot can echo back in transcripts without creating a duplicate."""
        if self.channel_type != "chatbot":
            return super()._mychat_send(message)
        conversation = message.conversation_id
        message_id = f"odoo-{message.id}"
        self._chatbot_post(
            {
                "type": "message.created",
                "conversation_id": conversation.external_thread_id or conversation.contact_id.external_id,
                "contact": {"external_id": conversation.contact_id.external_id},
                "message": {
                    "id": message_id,
                    "role": "agent" if message.author_kind == "agent" else "system",
                    "text": message.body or "",
                    "ts": fields.Datetime.to_datetime(message.date).isoformat() + "Z",
                    "author": message.author_user_id.name or "",
                    "attachments": [
                        {
                            "url": self._mychat_public_attachment_url(a),
                            "mime_type": a.mimetype,
                            "name": a.name,
                        }
                        for a in message.attachment_ids
                    ],
                },
            }
        )
        return chatbot_payload.message_external_id(conversation.external_thread_id, message_id)

    def _mychat_classify_error(self, status, data):
        """A bot endpoint's error answer (Standard Webhooks semantics)."""
        if self.channel_type != "chatbot":
            return super()._mychat_classify_error(status, data)
        if status == 429 or status >= 500:
            return "transient", status, f"The bot answered HTTP {status}"
        if status in (401, 403):
            return "auth", status, f"The bot refused our signature (HTTP {status})"
        return "permanent", status, f"The bot answered HTTP {status}"

    def _mychat_set_bot_mode(self, conversation, mode, reason=""):
        """Tell the channel's bot to stop (``live``) or resume (``bot``) on ``conversation``; return whether
        a bot was told. Default: the channel has no bot of its own to tell."""
        if self.channel_type != "chatbot":
            return False
        self._chatbot_post(
            {
                "type": "conversation.mode_changed",
                "conversation_id": conversation.external_thread_id,
                "mode": mode,
                "reason": reason,
            }
        )
        return True

    # ------------------------------------------------------------------
    # The bot's endpoint
    # ------------------------------------------------------------------

    def _chatbot_post(self, event):
        """POST one signed event to the bot's endpoint (api_base_url); return the webhook id."""
        url, secret = self._mychat_endpoint_and_secret()
        body, headers = chatbot_payload.signed_request(secret, event, time.time())
        self._mychat_http("POST", url, data=body, headers=headers)
        return headers["webhook-id"]
