import base64
import hashlib
from unittest.mock import patch

import requests

from odoo.tests import tagged

from . import whatsapp_payloads as wa
from .common import MychatHttpCase, load_sample

MEDIA = {
    # media id: (mime type announced by Graph, file path on the fake media host, bytes)
    "media-img": ("image/jpeg", "/media/img", b"\xff\xd8\xff\xe0 jpeg bytes"),
    "media-doc": ("application/pdf", "/media/doc", b"%PDF-1.4 plan"),
    "media-aud": ("audio/ogg; codecs=opus", "/media/aud", b"OggS voice note"),
    "media-vid": ("video/mp4", "/media/vid", b"\x00\x00\x00\x18ftypmp42"),
    "media-stk": ("image/webp", "/media/stk", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
}


@tagged("post_install", "-at_install")
class TestWhatsappTypes(MychatHttpCase):
    """Every WhatsApp inbound message type, through the real webhook route and the event processing."""

    def messages(self):
        return self.env["mychat.message"].search([("channel_id", "=", self.channel.id)])

    def message(self, wamid):
        return self.env["mychat.message"].search(
            [("channel_id", "=", self.channel.id), ("external_id", "=", wamid)]
        )

    def receive(self, body):
        self.assertEqual(self.post_signed(body).status_code, 200)
        events = self.process()
        self.assertEqual(events.mapped("state"), ["done"] * len(events), events.mapped("failure_reason"))
        return events

    def serve_media(self, media_id, url=None):
        mime, path, content = MEDIA[media_id]
        self.fake.route(
            "GET",
            rf"^/v23\.0/{media_id}$",
            (200, {"url": url or self.fake.url + path, "mime_type": mime, "id": media_id}),
        )
        self.fake.route("GET", rf"^{path}$", (200, (content, mime)))

    def agent_message(self, wamid):
        """An outbound agent reply that the customer's replies and reactions can quote."""
        self.receive(wa.notification([wa.text("wamid.HELLO", "hello")]))
        self.fake.route(
            "POST", r"/messages$", (200, {"messaging_product": "whatsapp", "messages": [{"id": wamid}]})
        )
        conv = self.message("wamid.HELLO").conversation_id
        return self.env["mychat.message"].browse(conv.send_reply("How can I help?"))

    def test_media_types_downloaded_as_attachments(self):
        for media_id in MEDIA:
            self.serve_media(media_id)
        self.receive(load_sample("whatsapp_media.json"))
        expected = {
            "wamid.IMG": ("image", "the roof", "media-img", "image/jpeg"),
            "wamid.DOC": ("document", "plan", "media-doc", "application/pdf"),
            "wamid.AUD": ("audio", "", "media-aud", "audio/ogg"),
            "wamid.VID": ("video", "", "media-vid", "video/mp4"),
            "wamid.STK": ("sticker", "", "media-stk", "image/webp"),
        }
        for wamid, (kind, body, media_id, mimetype) in expected.items():
            message = self.message(wamid)
            self.assertEqual(message.message_type, kind)
            self.assertEqual(message.body or "", body)
            self.assertFalse(message.failure_reason, f"{kind} downloaded without error")
            self.assertEqual(len(message.attachment_ids), 1, kind)
            attachment = message.attachment_ids
            self.assertEqual(attachment.raw, MEDIA[media_id][2], f"{kind}: the bytes of the media host")
            self.assertEqual(attachment.mimetype, mimetype)
            self.assertEqual(attachment.res_model, "mychat.conversation")
            self.assertEqual(attachment.res_id, message.conversation_id.id)
        self.assertEqual(self.message("wamid.DOC").attachment_ids.name, "plan.pdf", "the sender's file name")
        self.assertEqual(len(self.messages().conversation_id), 1)
        # Graph media endpoint, then the short-lived URL; both with the channel's token
        for media_id, (_mime, path, _content) in MEDIA.items():
            lookup = self.fake.calls("GET", rf"^/v23\.0/{media_id}$")
            download = self.fake.calls("GET", rf"^{path}$")
            self.assertEqual(len(lookup), 1)
            self.assertEqual(len(download), 1)
            self.assertEqual(lookup[0]["headers"]["Authorization"], "Bearer graph-token")
            self.assertEqual(download[0]["headers"]["Authorization"], "Bearer graph-token")

    def test_media_checksum_verified(self):
        content = MEDIA["media-img"][2]
        self.serve_media("media-img")
        good = base64.b64encode(hashlib.sha256(content).digest()).decode()
        self.receive(
            wa.notification(
                [
                    wa.media("wamid.OK", "image", media_id="media-img", sha256=good),
                    wa.media("wamid.BAD", "image", media_id="media-img", sha256="bm90IHRoZSBkaWdlc3Q="),
                ]
            )
        )
        self.assertEqual(self.message("wamid.OK").attachment_ids.raw, content)
        bad = self.message("wamid.BAD")
        self.assertFalse(bad.attachment_ids)
        self.assertIn("checksum", bad.failure_reason)

    def test_media_host_allowlist(self):
        """A media URL outside the provider's hosts is refused and noted on the message, never fetched."""
        self.fake.route(
            "GET", r"^/v23\.0/media-private$", (200, {"url": "http://10.0.0.1/x", "mime_type": "image/jpeg"})
        )
        self.fake.route(
            "GET",
            r"^/v23\.0/media-metadata$",
            (200, {"url": "http://169.254.169.254/latest", "mime_type": "image/jpeg"}),
        )
        body = wa.notification(
            [
                wa.media("wamid.PRIV", "image", media_id="media-private"),
                wa.media("wamid.META", "image", media_id="media-metadata"),
                wa.media("wamid.EVIL", "image", url="https://evil.example/x"),
                wa.media(
                    "wamid.FTP", "document", url=f"ftp://{self.fake.url.split('//')[1]}/x", filename="x.pdf"
                ),
            ]
        )
        real_request = requests.request
        with patch(
            "odoo.addons.mychat_omnichannel.models.mychat_channel.requests.request", wraps=real_request
        ) as spy:
            self.receive(body)
        fetched = [call.args[1] for call in spy.call_args_list]
        self.assertEqual(
            fetched,
            [f"{self.fake.url}/v23.0/media-private", f"{self.fake.url}/v23.0/media-metadata"],
            "only the Graph media endpoint was called, never the refused URLs",
        )
        for wamid, url in [
            ("wamid.PRIV", "http://10.0.0.1/x"),
            ("wamid.META", "http://169.254.169.254/latest"),
            ("wamid.EVIL", "https://evil.example/x"),
        ]:
            message = self.message(wamid)
            self.assertTrue(message, "the message itself is kept")
            self.assertFalse(message.attachment_ids)
            self.assertIn("Media URL refused", message.failure_reason)
            self.assertIn(url, message.failure_reason)
        self.assertIn("Media URL refused", self.message("wamid.FTP").failure_reason)

    def test_media_too_large_or_missing(self):
        self.serve_media("media-img")
        self.fake.route(
            "GET",
            r"^/v23\.0/media-gone$",
            (404, {"error": {"code": 100, "message": "Unsupported get request"}}),
        )
        with patch("odoo.addons.mychat_omnichannel.models.mychat_channel.MEDIA_MAX_BYTES", 8):
            self.receive(
                wa.notification(
                    [
                        wa.media("wamid.BIG", "image", media_id="media-img"),
                        wa.media("wamid.GONE", "image", media_id="media-gone"),
                    ]
                )
            )
        big, gone = self.message("wamid.BIG"), self.message("wamid.GONE")
        self.assertFalse(big.attachment_ids | gone.attachment_ids)
        self.assertIn("larger than", big.failure_reason)
        self.assertIn("Unsupported get request", gone.failure_reason)
        self.assertEqual(big.conversation_id.last_message_preview, "image", "the message still shows up")

    def test_location_contacts_reply_reaction_unsupported(self):
        out = self.agent_message("wamid.OUT1")
        self.receive(load_sample("whatsapp_other_types.json"))
        location = self.message("wamid.LOC")
        self.assertEqual(location.message_type, "location")
        self.assertEqual(
            location.body, "📍 Office — Rothschild 1, Tel Aviv\nhttps://maps.google.com/?q=32.0853,34.7818"
        )
        contacts = self.message("wamid.CON")
        self.assertEqual(contacts.message_type, "contacts")
        self.assertEqual(contacts.body, "👤 Chandler Bing +1 555-555-5555")
        reply = self.message("wamid.REP")
        self.assertEqual(reply.body, "replied text")
        self.assertEqual(reply.reply_to_id, out, "context.id links the quoted message")
        self.assertEqual(out.reaction, "😮", "a reaction updates the quoted message")
        self.assertFalse(self.message("wamid.REA"), "a reaction is no message of its own")
        unsupported = self.message("wamid.UNS")
        self.assertEqual(unsupported.message_type, "unsupported")
        self.assertIn("131051", unsupported.failure_reason)
        self.assertIn("not supported", unsupported.failure_reason)
        conv = out.conversation_id
        self.assertEqual(
            (location | contacts | reply | unsupported).conversation_id, conv, "all in the open conversation"
        )

    def test_reaction_changed_then_removed(self):
        out = self.agent_message("wamid.OUT2")
        self.receive(wa.notification([wa.reaction("wamid.R1", "wamid.OUT2", "👍")]))
        self.assertEqual(out.reaction, "👍")
        self.receive(wa.notification([wa.reaction("wamid.R2", "wamid.OUT2", "❤️")]))
        self.assertEqual(out.reaction, "❤️")
        self.receive(wa.notification([wa.reaction("wamid.R3", "wamid.OUT2", "")]))
        self.assertFalse(out.reaction, "an empty emoji removes the reaction")
        # a reaction to a message we never stored is absorbed, not an error
        self.receive(wa.notification([wa.reaction("wamid.R4", "wamid.UNKNOWN", "👍")]))

    def test_reply_to_unknown_message(self):
        self.receive(wa.notification([wa.text("wamid.Q", "about that", context_id="wamid.NEVER_SEEN")]))
        message = self.message("wamid.Q")
        self.assertEqual(message.body, "about that")
        self.assertFalse(message.reply_to_id)
