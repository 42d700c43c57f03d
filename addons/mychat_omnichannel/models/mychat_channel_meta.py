import base64
import hashlib
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools.image import image_process

from ..const import HUMAN_AGENT_WINDOW_HOURS, META_MESSAGING_TYPES, META_TYPES, REPLY_WINDOW_HOURS
from ..tools import meta, signatures
from ..tools.inbound import InboundMessage
from ..tools.provider_error import ProviderError

_logger = logging.getLogger(__name__)

STANDARD_WINDOW = timedelta(hours=REPLY_WINDOW_HOURS["messenger"])
HUMAN_AGENT_WINDOW = timedelta(hours=HUMAN_AGENT_WINDOW_HOURS)


class MychatChannel(models.Model):
    """Meta's platform. The one webhook authentication of WhatsApp, Messenger and Instagram (one app secret
    signs all three: ``const.META_TYPES``), and the connector of Facebook Messenger and Instagram, which share
    the Messenger Platform's webhook shape and Send API (``const.META_MESSAGING_TYPES``)."""

    _inherit = "mychat.channel"

    meta_human_agent = fields.Boolean(
        string="Human agent replies (7 days)",
        help="After the 24-hour window, let agents (people, not bots) reply up to 7 days after the "
        "customer's last message with Meta's HUMAN_AGENT tag. "
        "The Page needs the Human Agent permission.",
    )
    meta_app_id = fields.Char(
        string="Meta App ID",
        help="Echoes of messages this app sent are already stored and skipped; echoes from other apps "
        "and from the Page inbox or phone are kept as agent replies.",
    )

    # ------------------------------------------------------------------
    # Provider hooks
    # ------------------------------------------------------------------

    def _mychat_authenticate(self, httprequest, body):
        """``X-Hub-Signature-256``: HMAC-SHA256 of the raw body with the app secret (every Meta type)."""
        if self.channel_type not in META_TYPES:
            return super()._mychat_authenticate(httprequest, body)
        if not signatures.verify_meta(
            self.sudo().secret, body, httprequest.headers.get("X-Hub-Signature-256")
        ):
            return None
        return hashlib.sha256(body).hexdigest()

    def _mychat_parse(self, payload, event):
        if self.channel_type not in META_MESSAGING_TYPES:
            return super()._mychat_parse(payload, event)
        return self._meta_parse(payload)

    def _mychat_download(self, media):
        if self.channel_type not in META_MESSAGING_TYPES:
            return super()._mychat_download(media)
        return self._meta_download(media)

    def _mychat_send(self, message):
        if self.channel_type not in META_MESSAGING_TYPES:
            return super()._mychat_send(message)
        return self._meta_send(message)

    def _mychat_classify_error(self, status, data):
        if self.channel_type not in META_MESSAGING_TYPES:
            return super()._mychat_classify_error(status, data)
        return meta.classify_error(status, data)

    def _mychat_window_hours(self):
        if self.channel_type in META_MESSAGING_TYPES and self.meta_human_agent:
            return HUMAN_AGENT_WINDOW_HOURS
        return super()._mychat_window_hours()

    def _mychat_window_closed_hint(self):
        if self.channel_type not in META_MESSAGING_TYPES:
            return super()._mychat_window_closed_hint()
        if self.meta_human_agent:
            return _("Meta accepts no reply until the customer writes again.")
        return _(
            "Meta accepts no reply until the customer writes again; with 'Human agent replies' on the "
            "channel, agents could answer for 7 days."
        )

    def _mychat_apply_item(self, item, event):
        if isinstance(item, meta.InboundWatermark):
            self.env["mychat.message"].sudo().search(
                [
                    ("channel_id", "=", self.id),
                    ("direction", "=", "outbound"),
                    ("conversation_id.contact_id.external_id", "=", item.contact_external_id),
                    ("state", "in", ("sent", "delivered")),
                    ("date", "<=", item.watermark),
                ]
            )._mychat_apply_status(item.status)
            return
        return super()._mychat_apply_item(item, event)

    # ------------------------------------------------------------------
    # Messenger Platform (Messenger and Instagram)
    # ------------------------------------------------------------------

    def _meta_parse(self, payload):
        if (
            meta.OBJECTS.get(payload.get("object") if isinstance(payload, dict) else None)
            != self.channel_type
        ):
            raise meta.PayloadError(f"not a {self.channel_type} notification")
        items = meta.parse(payload, self.meta_app_id)
        self._meta_complete_profiles(items)
        return items

    def _meta_complete_profiles(self, items):
        """Name and picture of senders seen for the first time. A failure leaves the sender nameless and
        never stops the message."""
        senders = [
            item.contact
            for item in items
            if isinstance(item, InboundMessage) and item.contact and not item.reaction_to_external_id
        ]
        # known senders with a name (and repeats within the batch) need no profile: one query for the whole
        # batch; a nameless one (the last try failed) is asked again, at most once an hour
        retry_after = fields.Datetime.now() - timedelta(hours=1)
        seen = set(
            self.env["mychat.contact"]
            .sudo()
            .search(
                [
                    ("channel_id", "=", self.id),
                    ("external_id", "in", [c.external_id for c in senders]),
                    "|",
                    ("name", "!=", False),
                    ("write_date", ">", retry_after),
                ]
            )
            .mapped("external_id")
        )
        for contact in senders:
            if contact.external_id in seen:
                continue
            seen.add(contact.external_id)
            try:
                fields_ = meta.PROFILE_FIELDS[self.channel_type]
                profile = self._meta_request("GET", contact.external_id, params={"fields": fields_}).json()
                contact.name = meta.profile_name(profile)
                if profile.get("profile_pic"):
                    picture, _mimetype = self._mychat_fetch_media(profile["profile_pic"])
                    contact.values["image_128"] = base64.b64encode(image_process(picture, size=(128, 128)))
            except (ProviderError, UserError, ValueError) as error:
                _logger.info(
                    "MyChat: no profile for %s on channel %s: %s", contact.external_id, self.id, error
                )

    def _meta_request(self, method, path, **kwargs):
        """The single chokepoint for Graph calls of a Messenger or Instagram channel."""
        token = self.sudo().access_token
        if not token:
            raise ProviderError(_("The channel %s has no Page access token.", self.name), "auth")
        url = f"{self.api_base_url.rstrip('/')}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        return self._mychat_http(method, url, headers=headers, **kwargs)

    def _meta_tag(self, message):
        """None inside the standard 24-hour window; ``HUMAN_AGENT`` for a person's reply up to 7 days when the
        channel allows it; else the window is closed."""
        last = message.conversation_id.last_inbound_date
        elapsed = fields.Datetime.now() - last if last else None
        if elapsed is not None and elapsed <= STANDARD_WINDOW:
            return None
        if (
            elapsed is not None
            and elapsed <= HUMAN_AGENT_WINDOW
            and self.meta_human_agent
            and message.author_kind == "agent"
        ):
            return "HUMAN_AGENT"
        raise ProviderError(
            _(
                "The 24-hour reply window is closed: the customer has not written since %(date)s. "
                "Only a person "
                "can reply for 7 days, and only when the channel allows human agent replies.",
                date=last or _("never"),
            ),
            "window",
        )

    def _meta_send(self, message):
        tag = self._meta_tag(message)
        recipient = message.conversation_id.contact_id.external_id
        # Messenger echoes metadata back: our own echoes are recognised and skipped
        metadata = f"{meta.METADATA_PREFIX}{message.id}" if self.channel_type == "messenger" else None
        bodies = []
        if message.body or not message.attachment_ids:
            bodies.append(meta.text_message(message.body or "", message.buttons, metadata))
        for attachment in message.attachment_ids:
            url = self._mychat_public_attachment_url(attachment)
            bodies.append(meta.attachment_message(attachment.mimetype, url, metadata))
        external_id = None
        for body in bodies:
            response = self._meta_request(
                "POST",
                f"{self.external_account_id or 'me'}/messages",
                json=meta.send_body(recipient, body, tag),
            )
            external_id = external_id or response.json().get("message_id")
        return external_id

    def _meta_download(self, media):
        """Attachment URLs are signed CDN links: fetched without our token, from allowlisted hosts only."""
        content, content_type = self._mychat_fetch_media(media.url)
        return (
            content,
            content_type or media.mime_type,
            urlsplit(media.url).path.rsplit("/", 1)[-1] or media.kind,
        )
