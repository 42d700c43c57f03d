"""The normalised shape every connector's parser returns, so one pipeline handles all channels."""

from dataclasses import dataclass, field
from datetime import datetime, timezone


@dataclass
class InboundContact:
    external_id: str
    name: str = ""
    phone: str = ""
    email: str = ""
    values: dict = field(default_factory=dict)  # extra mychat.contact values (customer_ref, lang, …)


@dataclass
class InboundMedia:
    kind: str  # image, audio, video, document, sticker
    media_id: str = ""  # provider media id, downloaded through the provider API
    url: str = ""  # direct URL, downloaded only from allowed hosts
    mime_type: str = ""
    filename: str = ""
    sha256: str = ""


@dataclass
class InboundMessage:
    external_id: str
    contact: InboundContact
    date: datetime
    body: str = ""
    message_type: str = "text"
    direction: str = "inbound"
    author_kind: str = "customer"
    media: list = field(default_factory=list)
    reply_to_external_id: str = ""
    reaction_to_external_id: str = ""  # reactions update the quoted message, they are no message
    reaction: str = ""
    error: str = ""  # unsupported content: stored, shown, never dropped
    thread_key: str = ""  # the provider's conversation id where it has one (chatbots)


@dataclass
class InboundEdit:
    """A change to a message already stored: edited by the sender (Telegram) or unsent (Messenger,
    Instagram). ``message`` is the new version; it is stored as new when the original never arrived."""

    message: InboundMessage
    deleted: bool = False


@dataclass
class InboundStatus:
    external_id: str
    status: str  # sent, delivered, read, failed
    date: datetime
    error: str = ""
    error_kind: str = "permanent"  # for failed: transient, window, auth or permanent (ProviderError kinds)


def from_timestamp(value):
    """Provider Unix seconds (str or int) to a naive UTC datetime, as Odoo stores them."""
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(timezone.utc).replace(tzinfo=None)
