import base64
import os
import tempfile
from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

# Set MYCHAT_DOCS_SCREENSHOTS=1 to refresh docs/report_graph.png, docs/report_pivot.png, docs/dashboard.png.
DOCS = Path(__file__).resolve().parents[3] / "docs"


@tagged("post_install", "-at_install")
class TestReportsTour(HttpCase):
    browser_size = "1440x1000"
    # the dashboard loads its pivots and charts in parallel; on a busy machine they queue for the test cursor
    test_cursor_lock_timeout = 90

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        team = cls.env["crm.team"].create({"name": "Report team", "mychat_sla_minutes": 15})
        group = cls.env.ref("mychat_omnichannel.group_mychat_user")
        agents = cls.env["res.users"].create(
            [
                {
                    "name": f"Report {name}",
                    "login": f"report.{name.lower()}",
                    "group_ids": [Command.link(group.id)],
                }
                for name in ("Ada", "Bob", "Cleo")
            ]
        )
        for channel_type in ("whatsapp", "telegram", "sms"):
            cls.env["mychat.channel"].create(
                {
                    "name": f"Report {channel_type.capitalize().replace('app', 'App')}",
                    "channel_type": channel_type,
                    "team_id": team.id,
                    "api_base_url": "http://127.0.0.1:9",
                }
            )
        cls.env["mychat.conversation"]._mychat_demo_report_data(days=14, agents=agents, team=team)
        cls.env.ref("base.user_admin").group_ids = [
            Command.link(cls.env.ref("mychat_omnichannel.group_mychat_manager").id)
        ]

    def test_report_pivot_and_dashboard(self):
        shots = {}
        original = ChromeBrowser._handle_console

        def handle_console(browser, type, args=None, **kw):
            message = str(browser._from_remoteobject(args[0])) if args else ""
            if message.startswith("mychat-screenshot:"):
                name = message.split(":", 1)[1]
                future = browser._websocket_send(
                    "Page.captureScreenshot", params={"format": "png"}, with_future=True
                )
                future.add_done_callback(lambda f: shots.__setitem__(name, f.result()["data"]))
            return original(browser, type, args=args, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(
                "/odoo/action-mychat_omnichannel.mychat_inbox_all_action",
                "mychat_reports_tour",
                login="admin",
                timeout=180,
            )
        self.assertEqual(set(shots), {"report_graph", "report_pivot", "dashboard"})
        target = DOCS if os.environ.get("MYCHAT_DOCS_SCREENSHOTS") else Path(tempfile.mkdtemp())
        for name, data in shots.items():
            png = base64.b64decode(data)
            self.assertTrue(png.startswith(b"\x89PNG"))
            (target / f"{name}.png").write_bytes(png)
