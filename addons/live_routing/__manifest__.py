{
    "name": "MyChat Live Routing",
    "summary": "Assign conversations to the right available person: owner first, strategies, capacity, SLA",
    "version": "19.0.1.1.0",
    "category": "Productivity/Discuss",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["mychat_omnichannel", "resource"],
    "data": [
        "security/ir.model.access.csv",
        "security/live_routing_security.xml",
        "data/ir_cron_data.xml",
        "views/crm_team_views.xml",
        "views/crm_team_member_views.xml",
        "views/mychat_routing_rule_views.xml",
        "views/mychat_assignment_log_views.xml",
        "views/mychat_conversation_transfer_views.xml",
        "views/mychat_conversation_views.xml",
        "views/mychat_channel_views.xml",
        "views/live_routing_menus.xml",
        "views/mychat_report_views.xml",
    ],
    "post_init_hook": "_post_init_hook",
    "demo": [
        "demo/live_routing_demo.xml",
        "demo/mychat_report_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "live_routing/static/src/**/*",
        ],
        "web.assets_tests": [
            "live_routing/static/tests/tours/*.js",
        ],
        "im_livechat.assets_livechat_support_tours": [
            "live_routing/static/tests/tours/support/*.js",
        ],
    },
}
