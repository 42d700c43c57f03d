{
    "name": "MyChat Live Routing",
    "summary": "Assign conversations to the right available person: owner first, strategies, capacity, SLA",
    "version": "19.0.1.0.0",
    "category": "Productivity/Discuss",
    "website": "https://github.com/mychat-odoo/mychat",
    "author": "MyChat",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["mychat_omnichannel", "resource"],
    "data": [],
}
