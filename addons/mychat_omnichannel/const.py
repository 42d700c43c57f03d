"""MyChat's constants, in one place (the shape of Odoo's payment providers' ``const.py``).

Connector-specific values that only one connector reads live in its ``tools/<provider>.py``; what the hub
and several connectors share lives here.
"""

# The channel types. A new connector adds its one line here (see readme/CONTRIBUTING.md).
CHANNEL_TYPES = [
    ("whatsapp", "WhatsApp"),
    ("telegram", "Telegram"),
    ("messenger", "Messenger"),
    ("instagram", "Instagram"),
    ("sms", "SMS"),
    ("chatbot", "Chatbot"),
    ("livechat", "Website live chat"),
    ("custom", "Custom webhook"),
]

# The channel types on Meta's platform: one app secret signs their webhooks (X-Hub-Signature-256)
META_TYPES = ("whatsapp", "messenger", "instagram")
# Messenger and Instagram share the Messenger Platform's webhook shape and Send API
META_MESSAGING_TYPES = ("messenger", "instagram")

# Provider API roots including their version (``api_base_url`` defaults); overridable per channel
GRAPH_API_ROOT = "https://graph.facebook.com/v23.0"
DEFAULT_API_BASE_URLS = {
    "whatsapp": GRAPH_API_ROOT,
    "messenger": GRAPH_API_ROOT,
    "instagram": GRAPH_API_ROOT,
    "telegram": "https://api.telegram.org",
    "sms": "https://api.twilio.com/2010-04-01",
}

# Hosts, besides the host of api_base_url, that providers document for media downloads
# (a leading dot: any subdomain)
META_MEDIA_HOSTS = ("lookaside.fbsbx.com", ".fbcdn.net", ".cdninstagram.com")
MEDIA_HOSTS = {
    "whatsapp": ("lookaside.fbsbx.com",),
    "messenger": META_MEDIA_HOSTS,
    "instagram": META_MEDIA_HOSTS,
    "sms": (".twilio.com", ".twiliocdn.com"),
}

# Largest webhook body accepted (Meta batches reach 3 MB); overridden by mychat.webhook_max_bytes
WEBHOOK_MAX_BYTES = 4 * 1024 * 1024
# Every provider call: (connect, read) timeouts in seconds
TIMEOUT = (5, 20)
# Largest inbound media file downloaded
MEDIA_MAX_BYTES = 25 * 1024 * 1024

# Free-form reply window in hours after the customer's last message (absent: no window)
REPLY_WINDOW_HOURS = {"whatsapp": 24, "messenger": 24, "instagram": 24}
# Meta's Human Agent tag: a person may reply for 7 days on Messenger and Instagram
HUMAN_AGENT_WINDOW_HOURS = 7 * 24

# What the composer can send per channel type besides text: media and/or quick-reply buttons
COMPOSER_FEATURES = {
    "whatsapp": ("media",),
    "telegram": ("media", "buttons"),
    "messenger": ("media", "buttons"),
    "instagram": ("media", "buttons"),
    "sms": ("media",),
    "livechat": ("media",),
}

# Retry schedules
# seconds to wait before each new send attempt after a transient failure (4 attempts within 5 minutes)
SEND_RETRY_DELAYS = (30, 90, 180)
# minutes before each retry of an event whose processing raised; after the last one it stays `error`
EVENT_RETRY_DELAYS = (1, 5, 15, 60)
# events an event worker claims and commits at once: the due runs of at most CLAIM_SENDERS senders (one
# sender's events stay with one worker, see mychat.event._mychat_claim), so other workers take other senders
CLAIM_BATCH = 50
CLAIM_SENDERS = 10
# claims in a row that may meet another worker's concurrent commit before the worker yields to the next run
MAX_CLAIM_CONFLICTS = 20

# Bus: the channel a MyChat client asks for, answered with (team, TEAM_SUBCHANNEL) per team of the user
TEAM_INBOX_CHANNEL = "mychat.team_inbox"
TEAM_SUBCHANNEL = "mychat"
