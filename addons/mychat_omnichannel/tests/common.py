import json
from pathlib import Path

from odoo.tests import HttpCase, TransactionCase

from ..tools.signatures import meta_signature
from .fake_provider import FakeProvider

SAMPLES = Path(__file__).parent / "samples"


def load_sample(name):
    """The exact bytes of tests/samples/<name>."""
    return (SAMPLES / name).read_bytes()


class MychatCommon:
    """Shared setup: a WhatsApp channel pointed at a fake Graph API on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeProvider().start()
        cls.addClassCleanup(cls.fake.stop)
        cls.env.company.country_id = cls.env.ref("base.il")
        # a team of its own with no agents: where routing (live_routing) is installed, the hub's tests do not
        # depend on whether the clock is inside the default team's working hours
        cls.mychat_team = cls.env["crm.team"].create({"name": "MyChat tests"})
        cls.channel = cls.env["mychat.channel"].create(
            {
                "name": "WhatsApp test",
                "team_id": cls.mychat_team.id,
                "channel_type": "whatsapp",
                "secret": "test_app_secret",
                "verify_token": "verify-me",
                "access_token": "graph-token",
                "external_account_id": "106540352242922",
                "api_base_url": f"{cls.fake.url}/v23.0",
            }
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test guard compares the timeout with a number; provider calls pass (connect, read)
        if isinstance(kw.get("timeout"), tuple):
            kw["timeout"] = max(kw["timeout"])
        return super()._request_handler(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.routes.clear()

    def process(self):
        """Run the asynchronous step (the event cron's work) in this transaction."""
        return self.env["mychat.event"]._mychat_process_pending()


class MychatCase(MychatCommon, TransactionCase):
    pass


class MychatHttpCase(MychatCommon, HttpCase):
    def webhook_url(self, channel=None):
        return f"/mychat/webhook/{(channel or self.channel).webhook_token}"

    def post_signed(self, body, channel=None, secret="test_app_secret", headers=None):
        """POST raw ``body`` (bytes or dict) to the channel's webhook, signed as Meta signs it."""
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        all_headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature(secret, body),
        }
        all_headers.update(headers or {})
        return self.url_open(self.webhook_url(channel), data=body, headers=all_headers)
