{
    "name": "MyChat Chatbot Sync",
    "summary": "Chatbot conversations in MyChat: transcripts, collected data, bot/human hand-off",
    "version": "19.0.1.0.0",
    "category": "Productivity/Discuss",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["mychat_omnichannel", "crm_livechat"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/mychat_script_reply_views.xml",
        "views/mychat_conversation_views.xml",
        "views/mychat_channel_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_lead_views.xml",
    ],
    "demo": [
        "demo/chatbot_sync_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "chatbot_sync/static/tests/tours/*.js",
        ],
        "im_livechat.assets_livechat_support_tours": [
            "chatbot_sync/static/tests/tours/support/*.js",
        ],
    },
}
