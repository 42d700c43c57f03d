{
    "name": "MyChat Spreadsheet Dashboard",
    "summary": "The MyChat dashboard in Odoo's spreadsheet dashboards: volume, waiting, SLA, bots",
    "version": "19.0.1.0.0",
    "category": "Productivity/Dashboard",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["spreadsheet_dashboard", "mychat_omnichannel", "live_routing"],
    "data": [
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "spreadsheet_dashboard_mychat/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
}
