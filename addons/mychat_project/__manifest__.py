{
    "name": "MyChat Project",
    "summary": "Project tasks (service requests) opened from MyChat conversations",
    "version": "19.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["mychat_omnichannel", "project"],
    "data": [
        "security/ir.model.access.csv",
        "wizards/mychat_task_wizard_views.xml",
        "views/mychat_conversation_views.xml",
        "views/project_task_views.xml",
        "views/res_partner_views.xml",
        "views/mychat_lead_rule_views.xml",
    ],
    "demo": [
        "demo/mychat_project_demo.xml",
    ],
    "auto_install": True,
}
