import base64
import hashlib
import mimetypes
from urllib.parse import parse_qsl, urlencode, urlsplit

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import signatures, sms
from ..tools.phone import to_e164
from ..tools.provider_error import ProviderError


class MychatChannel(models.Model):
    """SMS / MMS through a Twilio-compatible Messages API. ``external_account_id`` is the sender: an E.164
    number or a Messaging Service SID (``MG…``); ``sms_account_sid`` is the Account SID and ``secret`` the
    auth token (it signs inbound calls and authenticates outbound ones)."""

    _inherit = "mychat.channel"

    sms_account_sid = fields.Char(
        string="Account SID", help="Twilio Account SID (AC…), the user name of API calls."
    )

    # ------------------------------------------------------------------
    # Provider hooks
    # ------------------------------------------------------------------

    def _mychat_authenticate(self, httprequest, body):
        """``X-Twilio-Signature`` over the exact URL Twilio called (the public URL when set, else our webhook
        URL or the URL as received) followed by every form parameter."""
        if self.channel_type != "sms":
            return super()._mychat_authenticate(httprequest, body)
        params = list(httprequest.form.items(multi=True)) or parse_qsl(
            body.decode("utf-8", errors="replace"), keep_blank_values=True
        )
        query = httprequest.query_string.decode()
        suffix = f"?{query}" if query else ""
        urls = [self.public_url + suffix] if self.public_url else [self.webhook_url + suffix, httprequest.url]
        token, header = self.sudo().secret, httprequest.headers.get("X-Twilio-Signature")
        if not any(
            signatures.verify_twilio(token, variant, params, header)
            for url in urls
            for variant in sms.url_variants(url)
        ):
            return None
        return sms.dedupe_key(dict(params)) or hashlib.sha256(urlencode(params).encode()).hexdigest()

    def _mychat_webhook_ack(self):
        if self.channel_type != "sms":
            return super()._mychat_webhook_ack()
        return sms.EMPTY_TWIML, "text/xml"  # empty TwiML: no automatic reply

    def _mychat_parse(self, payload, event):
        if self.channel_type != "sms":
            return super()._mychat_parse(payload, event)
        return sms.parse(payload, self.country_id.code)

    def _mychat_download(self, media):
        """MMS media: the first hop (on Twilio's API host) with Basic auth, the CDN redirect without."""
        if self.channel_type != "sms":
            return super()._mychat_download(media)
        host = urlsplit(media.url).hostname or ""
        headers = {}
        if host == urlsplit(self.api_base_url).hostname or host.endswith(".twilio.com"):
            credentials = f"{self.sms_account_sid}:{self.sudo().secret}".encode()
            headers["Authorization"] = f"Basic {base64.b64encode(credentials).decode()}"
        content, content_type = self._mychat_fetch_media(media.url, headers=headers)
        mimetype = media.mime_type or content_type
        return content, mimetype, f"{media.kind}{mimetypes.guess_extension(mimetype) or ''}"

    def _mychat_send(self, message):
        """One SMS, or an MMS whose media Twilio fetches from our attachment URLs; status callbacks come
        back to the webhook URL."""
        if self.channel_type != "sms":
            return super()._mychat_send(message)
        contact = message.conversation_id.contact_id
        media_urls = [self._mychat_public_attachment_url(attachment) for attachment in message.attachment_ids]
        form = sms.send_form(
            contact.phone or contact.external_id,
            self._sms_sender(),
            message.body,
            media_urls,
            self._mychat_public_url(),
        )
        return self._sms_request("POST", "Messages.json", data=form).json().get("sid")

    def _mychat_classify_error(self, status, data):
        """Twilio error codes in plain words (tools/sms.py ERRORS): rate limits, STOP, bad numbers."""
        if self.channel_type != "sms":
            return super()._mychat_classify_error(status, data)
        return sms.classify_error(status, data)

    # ------------------------------------------------------------------
    # Twilio-compatible Messages API
    # ------------------------------------------------------------------

    def _sms_request(self, method, path, **kwargs):
        """The single chokepoint for Messages API calls (HTTP Basic: Account SID and auth token)."""
        sid, token = self.sms_account_sid, self.sudo().secret
        if not (sid and token):
            raise ProviderError(_("The channel %s needs its Account SID and auth token.", self.name), "auth")
        url = f"{self.api_base_url.rstrip('/')}/Accounts/{sid}/{path}"
        return self._mychat_http(method, url, auth=(sid, token), **kwargs)

    def _sms_sender(self):
        if not self.external_account_id:
            raise ProviderError(_("The channel %s has no sender number.", self.name), "auth")
        return self.external_account_id

    def _mychat_send_sms(self, number, body):
        """Send a plain SMS outside any conversation, e.g. to notify an agent, and return the provider's
        message SID. ``self`` is an SMS channel, or empty for the current company's first active one.
        Raises UserError when no channel or no usable number is found, ProviderError when the provider
        refuses (its ``retryable`` says whether trying again later can help)."""
        channel = self.sudo() or self.sudo().search(
            [("channel_type", "=", "sms"), ("company_id", "in", self.env.company.ids)], limit=1
        )
        if len(channel) != 1 or channel.channel_type != "sms":
            raise UserError(_("No SMS channel is configured to send notifications."))
        to = to_e164(number, channel.country_id.code)
        if not to:
            raise UserError(_("%s is not a usable phone number.", number))
        form = sms.send_form(to, channel._sms_sender(), body)
        return channel._sms_request("POST", "Messages.json", data=form).json().get("sid")
