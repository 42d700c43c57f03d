{
    "name": "MyChat Omnichannel",
    "summary": "WhatsApp, Telegram, Messenger, Instagram, SMS and chatbot conversations in Odoo",
    "version": "19.0.1.0.0",
    "category": "Productivity/Discuss",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["crm", "im_livechat", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/mychat_omnichannel_security.xml",
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "data/ir_cron_data.xml",
        "data/mychat_campaign_cron.xml",
        "views/mychat_channel_views.xml",
        "views/mychat_contact_views.xml",
        "views/mychat_message_views.xml",
        "views/mychat_conversation_views.xml",
        "views/mychat_event_views.xml",
        "views/mychat_lead_rule_views.xml",
        "views/mychat_tag_views.xml",
        "views/mychat_template_views.xml",
        "views/mail_canned_response_views.xml",
        "views/res_users_views.xml",
        "views/res_company_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "wizards/mychat_lead_link_views.xml",
        "views/mychat_menus.xml",
        "views/mychat_consent_views.xml",
        "views/mychat_campaign_views.xml",
        "views/mychat_outbound_views.xml",
    ],
    "demo": [
        "demo/mychat_demo.xml",
<<<<<<< HEAD
        "demo/mychat_outbound_demo.xml",
=======
        "demo/mychat_template_demo.xml",
>>>>>>> main
    ],
    "assets": {
        "web.assets_backend": [
            "mychat_omnichannel/static/src/**/*",
        ],
        "web.assets_tests": [
            "mychat_omnichannel/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
