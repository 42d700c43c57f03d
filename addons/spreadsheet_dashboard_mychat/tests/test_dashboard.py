import json

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMychatDashboard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("spreadsheet_dashboard_mychat.spreadsheet_dashboard_mychat")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def test_every_pivot_and_chart_reads_the_report(self):
        """Each pivot's measures and each chart's grouping are valid for the report (the same
        read_group the spreadsheet sends)."""
        self.assertTrue(self.data["pivots"])
        for pivot in self.data["pivots"].values():
            Model = self.env[pivot["model"]]
            aggregates = [m["id"] for m in pivot["measures"]]
            groupby = [row["fieldName"] for row in pivot["rows"]]
            Model.formatted_read_group(pivot["domain"], groupby, aggregates)
            for matching in pivot["fieldMatching"].values():
                self.assertIn(matching["chain"], Model._fields)
        charts = [
            f
            for sheet in self.data["sheets"]
            for f in sheet["figures"]
            if f["data"]["type"].startswith("odoo_")
        ]
        self.assertTrue(charts)
        for chart in charts:
            meta = chart["data"]["metaData"]
            self.env[meta["resModel"]].formatted_read_group(
                [],
                meta["groupBy"],
                [f"{meta['measure']}:sum"] if meta["measure"] != "__count" else ["__count"],
            )
        menus = self.data["chartOdooMenusReferences"].values()
        for xmlid in menus:
            self.assertTrue(self.env.ref(xmlid))

    def test_readable_by_managers_only(self):
        manager = self.env["res.users"].create(
            {
                "name": "Dash Manager",
                "login": "dash.manager",
                "group_ids": [Command.link(self.env.ref("mychat_omnichannel.group_mychat_manager").id)],
            }
        )
        agent = self.env["res.users"].create(
            {
                "name": "Dash Agent",
                "login": "dash.agent",
                "group_ids": [Command.link(self.env.ref("mychat_omnichannel.group_mychat_user").id)],
            }
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(manager).search([]))
        snapshot = json.loads(self.dashboard.with_user(manager)._get_serialized_readonly_dashboard())[
            "snapshot"
        ]
        self.assertEqual([s["name"] for s in snapshot["sheets"]], ["Dashboard", "Data"])
        self.assertNotIn(self.dashboard, Dashboard.with_user(agent).search([]))
        with self.assertRaises(AccessError):
            self.env["mychat.report.conversation"].with_user(agent).search([])
