import base64
import hashlib
import json
import logging
import secrets

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import signatures, telegram
from ..tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)


class MychatChannel(models.Model):
    _inherit = "mychat.channel"

    telegram_webhook_date = fields.Datetime(
        string="Telegram webhook set on", readonly=True, copy=False, help="Last successful 'Set webhook'."
    )

    # ------------------------------------------------------------------
    # Provider hooks
    # ------------------------------------------------------------------

    def _mychat_authenticate(self, httprequest, body):
        """``X-Telegram-Bot-Api-Secret-Token`` must equal the secret sent with setWebhook (none: refused).
        The delivery key is the update_id, so Telegram's repeats of an update are absorbed."""
        if self.channel_type != "telegram":
            return super()._mychat_authenticate(httprequest, body)
        header = httprequest.headers.get("X-Telegram-Bot-Api-Secret-Token")
        if not signatures.verify_shared_secret(self.sudo().secret, header):
            return None
        try:
            update_id = json.loads(body).get("update_id")
        except (ValueError, AttributeError, RecursionError):
            update_id = None
        return str(update_id) if update_id is not None else hashlib.sha256(body).hexdigest()

    def _mychat_parse(self, payload, event):
        if self.channel_type != "telegram":
            return super()._mychat_parse(payload, event)
        items = telegram.parse(payload)
        query = payload.get("callback_query")
        if query and items:
            try:  # stops the spinner on the customer's button; a failure changes nothing else
                self._telegram_request("answerCallbackQuery", json={"callback_query_id": query.get("id")})
            except ProviderError as error:
                _logger.info("MyChat: answerCallbackQuery failed on channel %s: %s", self.id, error)
        return items

    def _mychat_download(self, media):
        """Bot API files: getFile gives the path, fetched under /file/bot<token>/ (bots get files up to
        20 MB); the token is scrubbed from any error text."""
        if self.channel_type != "telegram":
            return super()._mychat_download(media)
        info = self._telegram_request("getFile", json={"file_id": media.media_id}) or {}
        path = info.get("file_path")
        if not path:
            raise ProviderError(
                _("Telegram has no downloadable file for this media (bots get files up to 20 MB).")
            )
        token = self.sudo().access_token
        try:
            content, content_type = self._mychat_fetch_media(
                f"{self.api_base_url.rstrip('/')}/file/bot{token}/{path}"
            )
        except ProviderError as error:
            raise self._telegram_scrub(error, token) from None
        return content, media.mime_type or content_type, media.filename or path.rsplit("/", 1)[-1]

    def _mychat_send(self, message):
        if self.channel_type != "telegram":
            return super()._mychat_send(message)
        return self._telegram_send(message)

    def _mychat_recall(self, message):
        """Delete a sent message in the customer's chat (bots may delete their messages for 48 hours)."""
        if self.channel_type != "telegram":
            return super()._mychat_recall(message)
        message_id = self._telegram_message_id(message)
        if not message_id:
            return False
        try:
            return bool(
                self._telegram_request(
                    "deleteMessage",
                    json={
                        "chat_id": message.conversation_id.contact_id.external_id,
                        "message_id": message_id,
                    },
                )
            )
        except ProviderError as error:
            _logger.info("MyChat: Telegram could not delete message %s: %s", message.id, error)
            return False

    def _mychat_classify_error(self, status, data):
        """Bot API answers: the ``retry_after`` of a 429 in its body, a wrong bot token, a customer who
        blocked the bot."""
        if self.channel_type != "telegram":
            return super()._mychat_classify_error(status, data)
        return telegram.classify_error(status, data)

    # ------------------------------------------------------------------
    # Bot API
    # ------------------------------------------------------------------

    def _telegram_request(self, method, **kwargs):
        """The single chokepoint for Bot API calls. The bot token only ever appears in the API path
        (``/bot<token>/<method>``), never in our webhook URL, and is scrubbed from error texts."""
        token = self.sudo().access_token
        if not token:
            raise ProviderError(_("The channel %s has no bot token.", self.name), "auth")
        url = f"{self.api_base_url.rstrip('/')}/bot{token}/{method}"
        try:
            response = self._mychat_http("POST", url, **kwargs)
        except ProviderError as error:
            raise self._telegram_scrub(error, token) from None
        return response.json().get("result")

    @staticmethod
    def _telegram_scrub(error, token):
        return ProviderError(
            str(error).replace(token, "<bot token>"),
            error.kind,
            error.code,
            error.retry_after,
            detail=error.detail and error.detail.replace(token, "<bot token>"),
        )

    def action_telegram_set_webhook(self):
        """Point the bot at this channel: a new secret token, sent back by Telegram in every update."""
        self.ensure_one()
        if self.channel_type != "telegram":
            raise UserError(_("Only Telegram channels have a bot webhook to set."))
        secret = secrets.token_urlsafe(32)  # only A-Z, a-z, 0-9, _ and -, as Telegram requires
        try:
            bot = self._telegram_request("getMe") or {}
            self._telegram_request(
                "setWebhook",
                json={
                    "url": self._mychat_public_url(),
                    "secret_token": secret,
                    "allowed_updates": telegram.ALLOWED_UPDATES,
                },
            )
        except ProviderError as error:
            raise UserError(_("Telegram did not accept the webhook: %s", error)) from error
        self.write(  # the caller is a system administrator (see mychat_channel_guard)
            {
                "secret": secret,
                "external_account_id": str(bot.get("id") or self.external_account_id or ""),
                "telegram_webhook_date": fields.Datetime.now(),
            }
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "Telegram now sends @%s's messages to this channel.", bot.get("username") or self.name
                ),
            },
        }

    @staticmethod
    def _telegram_message_id(message):
        """The Bot API message_id of one of our stored messages (external id ``<chat id>:<message id>``)."""
        chat_and_id = (message.external_id or "").rsplit(":", 1)
        return int(chat_and_id[1]) if len(chat_and_id) == 2 and chat_and_id[1].isdigit() else None

    def _telegram_send(self, message):
        chat_id = message.conversation_id.contact_id.external_id
        reply_to = self._telegram_message_id(message.reply_to_id) if message.reply_to_id else None
        buttons = message.buttons or []
        body = message.body or ""
        attachments = message.attachment_ids
        results = []
        text_first = bool(body) and (not attachments or len(body) > telegram.CAPTION_MAX)
        if text_first or not attachments:
            results.append(
                self._telegram_request(
                    "sendMessage", json=telegram.text_body(chat_id, body, reply_to, buttons)
                )
            )
        for index, attachment in enumerate(attachments):
            first = index == 0 and not text_first
            method, field = telegram.SEND_METHODS[telegram.media_kind(attachment.mimetype)]
            data = telegram.media_fields(
                chat_id, body if first else "", reply_to if first else None, buttons if first else None
            )
            content = base64.b64decode(attachment.datas or b"")
            results.append(
                self._telegram_request(
                    method, data=data, files={field: (attachment.name, content, attachment.mimetype)}
                )
            )
        return telegram.message_key(chat_id, results[0]["message_id"])
