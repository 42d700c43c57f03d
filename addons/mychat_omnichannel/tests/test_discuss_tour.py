import base64
import os
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from . import whatsapp_payloads as wa
from .common import MychatHttpCase
from .test_workspace import MESSAGES_PATH, inbound

# Set MYCHAT_DOCS_SCREENSHOTS=1 to refresh the README's screenshots (docs/) from these tours.
DOCS = Path(__file__).resolve().parents[3] / "docs"


@tagged("post_install", "-at_install")
class TestDiscussTour(MychatHttpCase):
    """The agent's side in the browser: a WhatsApp chat in Discuss and in the chat-first conversation view,
    with the send queue and the event processing running as the crons would, while the tour waits."""

    browser_size = "1440x1000"

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.admin.mychat_notify_sound = False
        self.fake.route(
            "POST", MESSAGES_PATH, *[(200, {"messages": [{"id": f"wamid.OUT{n}"}]}) for n in range(5)]
        )
        self.shots = {}
        self.errors = []
        self.done = threading.Event()

    # ------------------------------------------------------------------
    # What the crons and the provider do while the tour waits
    # ------------------------------------------------------------------

    def in_new_cursor(self, func):
        """Run ``func(env)`` in a cursor of its own, as a cron or a request does (its bus notices reach the
        browser, see HttpCase.browser_js)."""
        with self.registry.cursor() as cr:
            func(api.Environment(cr, SUPERUSER_ID, {}))

    def run_crons(self):
        """The event and send-queue crons, every half second (their triggers are post-commit hooks, which a
        test cursor does not run)."""
        while not self.done.is_set():
            try:
                self.in_new_cursor(lambda env: env["mychat.event"]._mychat_process_pending())
                self.in_new_cursor(lambda env: env["mychat.message"]._cron_send_queued())
            except Exception as e:  # noqa: BLE001 - reported by the test
                self.errors.append(repr(e))
            time.sleep(0.5)

    def on_signal(self, name):
        try:
            if name == "inbound":
                body = wa.notification([wa.text("wamid.LIVE1", "Do you deliver to Haifa?")])
                self.assertEqual(self.post_signed(body).status_code, 200)
            elif name == "delivered":
                sent = self.fake.calls("POST", MESSAGES_PATH)
                wamid = f"wamid.OUT{len(sent) - 1}"
                body = wa.notification(statuses=[wa.status(wamid, "delivered", time.time())])
                self.assertEqual(self.post_signed(body).status_code, 200)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.errors.append(f"{name}: {e!r}")

    def run_tour(self, url, tour):
        shots, on_signal = self.shots, self.on_signal
        original = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, **kw):
            message = str(browser._from_remoteobject(args[0])) if args else ""
            if message.startswith("mychat-signal:"):
                threading.Thread(target=on_signal, args=(message.split(":", 1)[1],), daemon=True).start()
            elif message.startswith("mychat-screenshot:"):
                name = message.split(":", 1)[1]
                future = browser._websocket_send(
                    "Page.captureScreenshot", params={"format": "png"}, with_future=True
                )
                future.add_done_callback(lambda f: shots.__setitem__(name, f.result()["data"]))
            return original(browser, type, args=args, **kw)

        crons = threading.Thread(target=self.run_crons, daemon=True)
        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            crons.start()
            try:
                self.start_tour(url, tour, login="admin", timeout=180)
            finally:
                self.done.set()
                crons.join(10)
        self.assertFalse(self.errors)
        self.env.invalidate_all()

    def save_shots(self, names):
        self.assertTrue(set(names) <= set(self.shots))
        target = DOCS if os.environ.get("MYCHAT_DOCS_SCREENSHOTS") else Path(tempfile.mkdtemp())
        target.mkdir(exist_ok=True)
        for name in names:
            png = base64.b64decode(self.shots[name])
            self.assertTrue(png.startswith(b"\x89PNG"))
            (target / f"{name}.png").write_bytes(png)

    def sent_texts(self):
        return [call["json"].get("text", {}).get("body") for call in self.fake.calls("POST", MESSAGES_PATH)]

    def assign_new_to_admin(self):
        """Routing stand-in: a new conversation goes to the admin (who then is a member of its channel)."""
        admin = self.admin

        def on_new(conversation):
            conversation.user_id = admin.with_env(conversation.env)

        return patch.object(type(self.env["mychat.conversation"]), "_mychat_on_new", on_new)

    # ------------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------------

    def test_whatsapp_chat_live_in_discuss(self):
        with self.assign_new_to_admin():
            self.run_tour("/odoo/discuss", "mychat_discuss_tour")
        conv = self.env["mychat.conversation"].search([("channel_id", "=", self.channel.id)])
        self.assertEqual(len(conv), 1)
        self.assertEqual(self.sent_texts(), ["Yes, we deliver to Haifa tomorrow"], "sent exactly once")
        reply = self.env["mychat.message"].search(
            [("conversation_id", "=", conv.id), ("direction", "=", "outbound")]
        )
        self.assertEqual(
            (reply.body, reply.state, reply.author_user_id), (self.sent_texts()[0], "delivered", self.admin)
        )
        self.assertEqual(reply.mail_message_id.model, "discuss.channel")
        self.assertEqual(reply.mail_message_id.res_id, conv.discuss_channel_id.id)
        self.save_shots(["discuss"])

    def chat_first_conversation(self, hours_ago=1):
        message = inbound(
            self.channel,
            "wamid.CF1",
            "Do you deliver to Haifa?",
            fields.Datetime.now() - timedelta(hours=hours_ago),
        )
        conv = message.conversation_id
        conv.partner_id = self.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})
        conv.user_id = self.admin
        return conv

    def test_chat_first_conversation_view(self):
        conv = self.chat_first_conversation()
        self.run_tour(f"/odoo/mychat.conversation/{conv.id}", "mychat_chat_first_tour")
        self.assertEqual(self.sent_texts(), ["We deliver tomorrow"], "sent exactly once")
        self.assertFalse(
            [r for r in self.fake.requests if b"VIP customer" in r["body"]],
            "the chatter note never reached the provider",
        )
        note = conv.message_ids.filtered(lambda m: "VIP customer" in (m.body or ""))
        self.assertTrue(note.subtype_id.internal)
        self.assertEqual(conv.state, "resolved")
        self.save_shots(["chat_first"])

    def test_template_outside_window(self):
        conv = self.chat_first_conversation(hours_ago=48)
        self.env["mychat.template"].create(
            {
                "name": "Order ready",
                "provider_name": "order_ready",
                "lang": "he",
                "body": "Hi {{1}}, order {{2}} is ready",
            }
        )
        self.run_tour(f"/odoo/mychat.conversation/{conv.id}", "mychat_discuss_template_tour")
        payload = self.fake.calls("POST", MESSAGES_PATH)[-1]["json"]
        self.assertEqual(payload["type"], "template")
        self.assertEqual(payload["template"]["name"], "order_ready")
        self.assertEqual(
            payload["template"]["components"][0]["parameters"],
            [{"type": "text", "text": "Dana"}, {"type": "text", "text": "A-17"}],
        )
