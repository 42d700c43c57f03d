from odoo.tests import tagged

from ..const import CHANNEL_TYPES
from ..tools.inbound import InboundMedia
from ..tools.provider_error import ProviderError
from .common import MychatHttpCase


@tagged("post_install", "-at_install")
class TestChannelSeam(MychatHttpCase):
    """The hub's provider hooks: every channel type answers the webhook route through its own connector, and
    a hook a connector does not override falls back to the hub's documented default."""

    def test_every_channel_type_refuses_unsigned_calls(self):
        for channel_type, _label in CHANNEL_TYPES:
            channel = self.env["mychat.channel"].create(
                {"name": f"Seam {channel_type}", "channel_type": channel_type, "secret": "s3cret"}
            )
            with self.subTest(channel_type=channel_type):
                response = self.url_open(
                    self.webhook_url(channel), data=b'{"id": 1}', headers={"Content-Type": "application/json"}
                )
                # live chat sessions come from discuss.channel, never from a webhook
                self.assertEqual(response.status_code, 404 if channel_type == "livechat" else 403)
        self.assertFalse(self.env["mychat.event"].search([("channel_id.name", "=like", "Seam %")]))

    def test_hub_defaults(self):
        livechat = self.env["mychat.channel"].create({"name": "Chat", "channel_type": "livechat"})
        self.assertFalse(livechat._mychat_authenticate(None, b"{}"), "no connector: refused")
        with self.assertRaises(ValueError):
            livechat._mychat_parse({}, self.env["mychat.event"])
        with self.assertRaises(ProviderError) as caught:
            livechat._mychat_download(InboundMedia(kind="image", url="https://example.com/x.png"))
        self.assertEqual(caught.exception.kind, "permanent")
        self.assertEqual(livechat._mychat_webhook_ack(), ("OK", "text/plain; charset=utf-8"))
        none = self.env["ir.attachment"]
        self.assertEqual(livechat._mychat_split_outbound("hi", none), [("hi", none)])
        self.assertEqual(
            [livechat._mychat_classify_error(status, {})[0] for status in (429, 503, 401, 403, 400, 404)],
            ["transient", "transient", "auth", "auth", "permanent", "permanent"],
        )
        self.assertEqual(livechat._mychat_window_hours(), 0)
        self.assertEqual(self.channel._mychat_window_hours(), 24, "WhatsApp: const.REPLY_WINDOW_HOURS")
