import base64
import os
import tempfile
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.mychat_omnichannel.tools.inbound import InboundContact, InboundMessage

# Set MYCHAT_DOCS_SCREENSHOTS=1 to refresh docs/agent_day*.png from the tours.
DOCS = Path(__file__).resolve().parents[3] / "docs"


@tagged("post_install", "-at_install")
class TestAgentDayTour(HttpCase):
    """The agent's inbox and systray in the browser, in English and in Hebrew (right to left), on a
    desktop and on a phone-size screen."""

    browser_size = "1440x900"

    def setUp(self):
        super().setUp()
        self.admin = self.env.ref("base.user_admin")
        self.admin.write({"mychat_availability": "available", "tz": "UTC"})
        if "odoobot_state" in self.admin._fields:  # no OdooBot welcome chat over the phone-size inbox
            self.admin.odoobot_state = "disabled"
        # an office that is closed today: it opens at 09:00 on another weekday only
        tomorrow = (datetime.now().weekday() + 1) % 7
        self.calendar = self.env["resource.calendar"].create(
            {
                "name": "Closed today",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    Command.create(
                        {"name": "Open", "dayofweek": str(tomorrow), "hour_from": 9, "hour_to": 17}
                    )
                ],
            }
        )
        self.team = self.env["crm.team"].create({"name": "Morning team", "mychat_strategy": "least_busy"})
        self.env["crm.team.member"].create(
            {"crm_team_id": self.team.id, "user_id": self.admin.id, "mychat_calendar_id": self.calendar.id}
        )
        # the other teams' members do not answer for this one
        self.env["crm.team.member"].search(
            [("user_id", "=", self.admin.id), ("crm_team_id", "!=", self.team.id)]
        ).unlink()
        channel = self.env["mychat.channel"].create(
            {
                "name": "WA morning",
                "channel_type": "whatsapp",
                "team_id": self.team.id,
                "api_base_url": "http://127.0.0.1:9",
            }
        )
        self.env["mychat.contact"].create(
            {"channel_id": channel.id, "external_id": "972500000777", "name": "Queued Customer"}
        )
        self.conv = (
            self.env["mychat.conversation"]
            ._mychat_ingest(
                channel,
                InboundMessage(
                    external_id="wamid.tour.1",
                    contact=InboundContact(external_id="972500000777"),
                    date=datetime.now(),
                    body="Good morning?",
                ),
            )
            .conversation_id
        )
        self.assertTrue(self.conv.mychat_queued_since, "nobody works today: the conversation waits")
        # only this conversation is queued
        self.env["mychat.conversation"].search(
            [("id", "!=", self.conv.id), ("mychat_queued_since", "!=", False)]
        ).write({"mychat_queued_since": False})

    def run_tour(self, shot, rtl=False, tour="live_routing_agent_day_tour"):
        """Run the tour, saving the screenshot it asks for (``mychat-screenshot`` console line)."""
        # build the bundles first: built by the page's first requests (rtlcss is slow), they would hold
        # the test cursor long enough for the page's other requests to time out
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_web", rtl=rtl)
        bundle.css()
        bundle.js()
        shots = {}
        original = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, **kw):
            message = str(browser._from_remoteobject(args[0])) if args else ""
            if message == "mychat-screenshot:inbox":
                future = browser._websocket_send(
                    "Page.captureScreenshot", params={"format": "png"}, with_future=True
                )
                future.add_done_callback(lambda f: shots.__setitem__(shot, f.result()["data"]))
            return original(browser, type, args=args, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour("/odoo", tour, login="admin", timeout=120)
        target = DOCS if os.environ.get("MYCHAT_DOCS_SCREENSHOTS") else Path(tempfile.mkdtemp())
        png = base64.b64decode(shots[shot])
        self.assertTrue(png.startswith(b"\x89PNG"))
        (target / f"{shot}.png").write_bytes(png)

    def test_agent_day_english(self):
        self.run_tour("agent_day")
        self.assertEqual(self.conv.user_id, self.admin, "taken from the queue")
        self.assertFalse(self.conv.mychat_queued_since)

    def test_agent_day_hebrew(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.admin.lang = "he_IL"
        self.run_tour("agent_day_rtl", rtl=True)
        self.assertEqual(self.conv.user_id, self.admin, "taken from the queue")


@tagged("post_install", "-at_install")
class TestAgentDayPhoneTour(TestAgentDayTour):
    """The same inbox on a phone-size screen (Odoo shows the kanban there)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_agent_day_english(self):
        self.run_tour("agent_day_phone", tour="live_routing_agent_day_phone_tour")
        self.assertFalse(self.conv.user_id, "only looked at")

    def test_agent_day_hebrew(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.admin.lang = "he_IL"
        self.run_tour("agent_day_phone_rtl", rtl=True, tour="live_routing_agent_day_phone_tour")
