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
    "data": [],
}
