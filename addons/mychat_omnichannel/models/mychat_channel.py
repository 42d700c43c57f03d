import ipaddress
import logging
import secrets
import socket
from urllib.parse import urljoin, urlsplit

import requests

from odoo import _, api, fields, models, tools
from odoo.tools import SQL

from ..const import (
    CHANNEL_TYPES,
    COMPOSER_FEATURES,
    DEFAULT_API_BASE_URLS,
    MEDIA_HOSTS,
    MEDIA_MAX_BYTES,
    REPLY_WINDOW_HOURS,
    TIMEOUT,
)
from ..tools.log_redact import redact_error
from ..tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)


class MychatChannel(models.Model):
    _name = "mychat.channel"
    _description = "MyChat Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=False)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, default="whatsapp")
    webhook_token = fields.Char(
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        help="Unguessable part of the inbound URL.",
    )
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook URL")
    public_url = fields.Char(
        string="Public webhook URL",
        help="The exact URL the provider calls, when Odoo sits behind a proxy that rewrites it (Twilio signs "
        "this URL). Empty: the Webhook URL above.",
    )
    secret = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Signing secret: Meta app secret, Telegram secret token, Twilio auth token or a Standard "
        "Webhooks whsec_ key. Without it every inbound call is refused.",
    )
    verify_token = fields.Char(
        groups="base.group_system", copy=False, help="Meta webhook verification token."
    )
    access_token = fields.Char(groups="base.group_system", copy=False, help="Outbound API credential.")
    external_account_id = fields.Char(
        string="Account ID",
        help="WhatsApp phone_number_id, Page or Instagram id, Telegram bot id or sender number.",
    )
    api_base_url = fields.Char(
        string="API base URL",
        compute="_compute_api_base_url",
        store=True,
        readonly=False,
        help="Provider API root including its version; override it for a self-hosted gateway.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", help="Default team of this channel's conversations."
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        readonly=False,
        help="Country used to read local phone numbers (defaults to the company's).",
    )
    after_resolved = fields.Selection(
        [("new", "Start a new conversation"), ("reopen", "Reopen the last conversation")],
        string="Message after resolved",
        default="new",
        required=True,
    )
    conversation_ids = fields.One2many("mychat.conversation", "channel_id")
    conversation_count = fields.Integer(compute="_compute_conversation_count")
    event_failed_count = fields.Integer(compute="_compute_event_failed_count")

    _webhook_token_uniq = models.Constraint("UNIQUE(webhook_token)", "The webhook token must be unique.")

    @api.model_create_multi
    def create(self, vals_list):
        channels = super().create(vals_list)
        self.env.registry.clear_cache()  # _mychat_webhook_channels
        return channels

    def write(self, vals):
        res = super().write(vals)
        if {"webhook_token", "active"}.intersection(vals):
            self.env.registry.clear_cache()  # _mychat_webhook_channels
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _mychat_webhook_channels
        return res

    @api.model
    @tools.ormcache()
    def _mychat_webhook_channels(self):
        """{webhook token: channel id} of the active channels, so that the webhook resolves its token
        without a query; cleared (in every worker) when a channel is created, deleted, archived or
        restored, or gets a new token."""
        self.env.cr.execute(
            SQL("SELECT webhook_token, id FROM mychat_channel WHERE active AND webhook_token IS NOT NULL")
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _mychat_for_token(self, token):
        """The active channel whose webhook URL ends with ``token`` (empty recordset when none)."""
        return self.browse(self._mychat_webhook_channels().get(token))

    @api.depends("webhook_token")
    def _compute_webhook_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for channel in self:
            channel.webhook_url = (
                f"{base_url}/mychat/webhook/{channel.webhook_token}" if channel.webhook_token else ""
            )

    @api.depends("channel_type")
    def _compute_api_base_url(self):
        for channel in self:
            if not channel.api_base_url or channel.api_base_url in DEFAULT_API_BASE_URLS.values():
                channel.api_base_url = DEFAULT_API_BASE_URLS.get(channel.channel_type, False)

    @api.depends("company_id")
    def _compute_country_id(self):
        for channel in self:
            channel.country_id = channel.country_id or channel.company_id.country_id

    def _compute_conversation_count(self):
        counts = dict(
            self.env["mychat.conversation"]._read_group(
                [("channel_id", "in", self.ids)], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.conversation_count = counts.get(channel, 0)

    def _compute_event_failed_count(self):
        counts = dict(
            self.env["mychat.event"]._read_group(
                [("channel_id", "in", self.ids), ("state", "in", ("failed", "error"))],
                ["channel_id"],
                ["__count"],
            )
        )
        for channel in self:
            channel.event_failed_count = counts.get(channel, 0)

    def action_regenerate_token(self):
        for channel in self:
            channel.webhook_token = secrets.token_urlsafe(24)

    def action_view_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mychat_omnichannel.mychat_conversation_action"
        )
        action["domain"] = [("channel_id", "in", self.ids)]
        action["context"] = {"default_channel_id": self.id}
        return action

    def action_view_failed_events(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("mychat_omnichannel.mychat_event_action")
        action["domain"] = [("channel_id", "in", self.ids), ("state", "in", ("failed", "error"))]
        return action

    # ------------------------------------------------------------------
    # The provider contract. Each connector (models/mychat_channel_<provider>.py) overrides the hooks it
    # needs behind a guard on its channel type, as Odoo's payment providers do:
    #
    #     def _mychat_send(self, message):
    #         if self.channel_type != "whatsapp":
    #             return super()._mychat_send(message)
    #         ...
    #
    # The defaults below are what a channel type without a connector gets. See readme/CONTRIBUTING.md.
    # ------------------------------------------------------------------

    def _mychat_receives_webhooks(self):
        """Whether providers may POST to this channel's webhook URL (else the route answers 404)."""
        return True

    def _mychat_authenticate(self, httprequest, body):
        """Check the inbound call's signature over the raw ``body`` (bytes). Return the delivery key that
        absorbs the provider's repeats (its delivery id, else a hash of the body), or a false value (``None``)
        when the call is not authentic (no secret configured included): the route then answers 403.
        Default: refused."""
        self.ensure_one()
        return False

    def _mychat_webhook_ack(self):
        """Body and content type of the 200 answer to an accepted webhook call."""
        return "OK", "text/plain; charset=utf-8"

    def _mychat_parse(self, payload, event):
        """Turn one stored event's decoded payload (JSON, or a dict for a form post) into normalised inbound
        items (see tools/inbound.py). Raise ``ValueError`` for a payload that cannot be read: the event is
        then stored as failed, not retried by itself."""
        self.ensure_one()
        raise ValueError(f"{self.channel_type} channels receive no webhooks")

    def _mychat_apply_item(self, item, event):
        """Apply a connector-specific item that is no message, status or edit (bot mode changes, read
        watermarks, …)."""
        raise ValueError(f"no handler for {type(item).__name__}")

    def _mychat_download(self, media):
        """Fetch one inbound media item (a tools.inbound.InboundMedia); return (bytes, mimetype, filename).
        Use ``_mychat_fetch_media`` for the HTTP part; raise ProviderError when it cannot be fetched."""
        self.ensure_one()
        raise ProviderError(_("%s channels cannot download media.", self.channel_type), "permanent")

    def _mychat_split_outbound(self, body, attachments):
        """The provider messages one reply becomes, as a list of (body, attachments): one mychat.message
        each, so each has its own provider id, statuses and retries. Default: a single message."""
        self.ensure_one()
        return [(body, attachments)]

    def _mychat_send(self, message):
        """Send one outbound mychat.message; return the provider's message id or raise ProviderError
        (its ``kind`` decides on retries, see tools/provider_error.py)."""
        self.ensure_one()
        raise ProviderError(_("%s channels cannot send messages.", self.channel_type), "permanent")

    def _mychat_recall(self, message):
        """Delete a sent message for the customer where the provider allows it; return whether it was
        deleted. Default: providers cannot."""
        self.ensure_one()
        return False

    def _mychat_classify_error(self, status, data):
        """Map a provider's error answer (HTTP ``status``, decoded JSON ``data``) to ``(kind, code,
        message)``, optionally a 4th value: the retry delay in seconds the provider put in its body."""
        if status == 429 or status >= 500:
            return "transient", status, f"HTTP {status}"
        if status in (401, 403):
            return "auth", status, f"HTTP {status}"
        return "permanent", status, f"HTTP {status}"

    def _mychat_composer_features(self):
        """What an agent can send on this channel besides text: ``media``, ``buttons``."""
        return COMPOSER_FEATURES.get(self.channel_type, ())

    def _mychat_window_hours(self):
        """The free-form reply window in hours after the customer's last message; 0: no window."""
        return REPLY_WINDOW_HOURS.get(self.channel_type, 0)

    def _mychat_window_closed_hint(self):
        """What the agent can still do once the reply window is closed, in plain words."""
        return _("Send an approved template instead.")

    # ------------------------------------------------------------------
    # Helpers for connectors
    # ------------------------------------------------------------------

    def _mychat_endpoint_and_secret(self):
        """``(api_base_url, secret)`` of a channel that POSTs signed bodies to an endpoint of its own (a bot,
        a gateway); ProviderError when either is missing."""
        self.ensure_one()
        secret = self.sudo().secret
        if not self.api_base_url:
            raise ProviderError(
                _("The channel %s has no endpoint URL (API base URL).", self.name), "permanent"
            )
        if not secret:
            raise ProviderError(_("The channel %s has no signing secret.", self.name), "auth")
        return self.api_base_url, secret

    def _mychat_public_url(self):
        """The webhook URL as the provider sees it (``public_url`` when set behind a proxy)."""
        self.ensure_one()
        return self.public_url or self.webhook_url

    def _mychat_public_attachment_url(self, attachment):
        """A URL the provider can fetch an outbound attachment from (providers that take media by URL)."""
        base_url = self.get_base_url()
        token = attachment.sudo().generate_access_token()[0]
        return f"{base_url}/web/content/{attachment.id}?access_token={token}"

    # ------------------------------------------------------------------
    # Outbound HTTP: the one place where requests are made
    # ------------------------------------------------------------------

    def _mychat_check_media_url(self, url):
        """Refuse media URLs outside the provider's hosts (SSRF guard): the host of api_base_url, or one
        of the hosts the provider documents for media."""
        self.ensure_one()
        parts = urlsplit(url or "")
        host = (parts.hostname or "").lower()
        api_host = (urlsplit(self.api_base_url or "").hostname or "").lower()
        allowed = host and (
            host == api_host
            or any(
                host == h.lstrip(".") or (h.startswith(".") and host.endswith(h))
                for h in MEDIA_HOSTS.get(self.channel_type, ())
            )
        )
        scheme_ok = parts.scheme == "https" or (parts.scheme == "http" and host == api_host)
        if not (allowed and scheme_ok) or (host != api_host and not self._mychat_is_public_host(host)):
            raise ProviderError(
                _("Media URL refused: %(url)s is not a host of this provider.", url=url), "permanent"
            )

    @staticmethod
    def _mychat_is_public_host(host):
        """True when every address ``host`` resolves to is public (no private, loopback, link-local or
        metadata address behind an allowlisted name)."""
        try:
            infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)

    def _mychat_http(self, method, url, classify=None, **kwargs):
        """Perform one provider call. An error answer raises ProviderError as ``classify(status, json)``
        (default: the channel's ``_mychat_classify_error``) says. Network failures are transient."""
        self.ensure_one()
        classify = classify or self._mychat_classify_error
        timeout = kwargs.pop("timeout", TIMEOUT)
        try:
            response = requests.request(method, url, timeout=timeout, **kwargs)
        except requests.exceptions.RequestException as exc:
            raise ProviderError(
                self._mychat_transport_message(exc),
                "transient",
                detail=redact_error(exc),
            ) from exc
        if response.status_code >= 400:
            try:
                data = response.json()
            except ValueError:
                data = {}
            # classify may add a 4th value: the retry delay the provider put in its body (Telegram)
            kind, code, message, *body_retry = classify(response.status_code, data)
            retry_after = response.headers.get("Retry-After")
            retry_after = int(retry_after) if (retry_after or "").isdigit() else None
            retry_after = (body_retry or [retry_after])[0] or retry_after
            raise ProviderError(message, kind, code=code, retry_after=retry_after)
        return response

    def _mychat_transport_message(self, exc):
        """What an agent reads when the provider could not be reached: the cause in plain words, not
        the network library's text (that one is the error's ``detail``, for administrators)."""
        if isinstance(exc, requests.exceptions.Timeout):
            return _("%s did not answer in time.", self.name)
        if isinstance(exc, requests.exceptions.ConnectionError):
            return _("%s could not be reached: no network connection, or the provider is down.", self.name)
        return _("The request to %s failed.", self.name)

    def _mychat_fetch_media(self, url, headers=None):
        """Download media from an allowed host, streaming with a size cap. Redirects are followed by hand:
        each hop is checked against the allowlist, and credentials never leave the first host."""
        headers = headers or {}

        def classify(status, data):
            return "transient" if status >= 500 else "permanent", None, f"HTTP {status}"

        for _hop in range(4):
            self._mychat_check_media_url(url)
            response = self._mychat_http(
                "GET", url, classify, headers=headers, stream=True, allow_redirects=False
            )
            if not response.is_redirect:
                break
            next_url = urljoin(url, response.headers.get("Location", ""))
            if urlsplit(next_url).hostname != urlsplit(url).hostname:
                headers = {}
            url = next_url
        else:
            raise ProviderError(_("Media download redirected too many times."), "permanent")
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > MEDIA_MAX_BYTES:
                raise ProviderError(_("Media larger than %s bytes refused.", MEDIA_MAX_BYTES), "permanent")
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("Content-Type", "application/octet-stream").split(";")[
            0
        ]
