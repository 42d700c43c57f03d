{
    "name": "MyChat Helpdesk",
    "summary": "Helpdesk tickets (OCA helpdesk_mgmt) opened from MyChat conversations",
    "version": "19.0.1.0.0",
    "category": "After-Sales",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["mychat_omnichannel", "helpdesk_mgmt"],
    "data": [
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_channel_data.xml",
        "wizards/mychat_ticket_wizard_views.xml",
        "views/mychat_conversation_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_partner_views.xml",
        "views/mychat_lead_rule_views.xml",
    ],
    "demo": [
        "demo/mychat_helpdesk_demo.xml",
    ],
    "auto_install": True,
}
