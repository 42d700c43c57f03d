"""Tours whose Python side acts while the browser waits: the crons (event processing, send queue) run every
half second in cursors of their own, from the moment the browser opens the page, as the real crons would
after the commit a test never does, and the tour asks for provider webhooks with
``console.info("mychat-signal:<name>")``."""

import base64
import os
import tempfile
import threading
import time
from pathlib import Path
from unittest.mock import patch

import requests

from odoo import SUPERUSER_ID, api
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, ChromeBrowser

from ..tools.signatures import meta_signature

# Set MYCHAT_DOCS_SCREENSHOTS=1 to refresh the README's screenshots (docs/) from the tours.
DOCS = Path(__file__).resolve().parents[3] / "docs"


class LiveTourMixin:
    def setUp(self):
        super().setUp()
        self.shots = {}
        self.tour_errors = []

    def in_new_cursor(self, func):
        """Run ``func(env)`` in a cursor of its own, as a cron or a request does (its bus notices reach
        the browser, see HttpCase.browser_js)."""
        with self.registry.cursor() as cr:
            func(api.Environment(cr, SUPERUSER_ID, {}))

    def _run_crons(self, started, done):
        # the test's own cursor is the connection the test cursors share, and it is used without their lock
        # until the browser opens the page (login, flush): crons running before would interleave with it
        while not started.wait(0.2):
            if done.is_set():
                return
        while not done.is_set():
            try:
                self.in_new_cursor(lambda env: env["mychat.event"]._mychat_process_pending())
                self.in_new_cursor(lambda env: env["mychat.message"]._cron_send_queued())
            except Exception as e:  # noqa: BLE001 - reported by the test
                # the page's requests held the shared test cursor (a slow bundle, a loaded machine): the
                # pass runs again next turn, as a cron would; the tour's steps still wait for its outcome
                if "Unable to acquire lock for test cursor" not in str(e):
                    self.tour_errors.append(f"cron: {e!r}")
            time.sleep(0.5)

    def post_signed_live(self, body, secret="test_app_secret"):
        """POST a signed webhook while a tour runs, from any thread: ``url_open`` would release and take the
        test lock from this thread (HttpCase's opener), so a plain request carries the tour's cursor key."""
        all_headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature(secret, body),
        }
        return requests.post(
            self._live_webhook_url,
            data=body,
            headers=all_headers,
            cookies={TEST_CURSOR_COOKIE_NAME: self.http_request_key},
            timeout=60,
        )

    def on_tour_signal(self, name):
        """Override: what ``mychat-signal:<name>`` does (post a webhook...)."""
        raise NotImplementedError(name)

    def _on_signal(self, name):
        try:
            self.on_tour_signal(name)
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.tour_errors.append(f"{name}: {e!r}")

    def build_assets(self, rtl=False):
        """Build the web client's bundles here: built by the page's first requests instead (rtlcss is
        slow), they hold the test cursor long enough for the page's other requests to time out."""
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_web", rtl=rtl)
        bundle.css()
        bundle.js()
        self._assets_built = True

    def run_live_tour(self, url, tour, **kwargs):
        if not getattr(self, "_assets_built", False):
            self.build_assets()
        # read here, in the test's thread: the signal threads do not touch the test's cursor
        if hasattr(self, "webhook_url"):
            self._live_webhook_url = self.base_url() + self.webhook_url()
        shots, on_signal = self.shots, self._on_signal
        original = ChromeBrowser._handle_console
        original_navigate = ChromeBrowser.navigate_to
        started = threading.Event()

        def navigate_to(browser, *args, **kw):
            started.set()
            return original_navigate(browser, *args, **kw)

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

        done = threading.Event()
        crons = threading.Thread(target=self._run_crons, args=(started, done), daemon=True)
        with (
            patch.object(ChromeBrowser, "_handle_console", handle_console),
            patch.object(ChromeBrowser, "navigate_to", navigate_to),
        ):
            crons.start()
            try:
                self.start_tour(url, tour, login=kwargs.pop("login", "admin"), timeout=180, **kwargs)
            finally:
                done.set()
                crons.join(60)
        # a cron pass still running would act on the next test's data
        self.assertFalse(crons.is_alive(), "the tour's cron thread did not stop")
        self.assertFalse(self.tour_errors)
        self.env.invalidate_all()

    def save_shots(self, names, suffix=""):
        self.assertTrue(set(names) <= set(self.shots), f"screenshots taken: {sorted(self.shots)}")
        target = DOCS if os.environ.get("MYCHAT_DOCS_SCREENSHOTS") else Path(tempfile.mkdtemp())
        target.mkdir(exist_ok=True)
        for name in names:
            png = base64.b64decode(self.shots[name])
            self.assertTrue(png.startswith(b"\x89PNG"))
            (target / f"{name}{suffix}.png").write_bytes(png)
