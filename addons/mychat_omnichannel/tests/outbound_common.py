"""Shared setup of the outbound tests: a WhatsApp channel with a WABA on the fake Graph API, whose
message sends answer one wamid per recipient."""

import json
import time

from . import whatsapp_payloads as wa
from .common import MychatHttpCase

MESSAGES = r"^/v23\.0/106540352242922/messages$"
WABA = "102290129340398"


class OutboundCase(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel.whatsapp_business_account_id = WABA
        cls.utility = cls.env["mychat.template"].create(
            {
                "name": "Follow-up",
                "channel_id": cls.channel.id,
                "channel_type": "whatsapp",
                "provider_name": "follow_up",
                "lang": "en",
                "category": "utility",
                "body": "Hello {{1}}, this is {{2}} from {{3}}. May we help?",
            }
        )
        cls.marketing = cls.env["mychat.template"].create(
            {
                "name": "Spring offer",
                "channel_id": cls.channel.id,
                "channel_type": "whatsapp",
                "provider_name": "spring_offer",
                "lang": "en",
                "category": "marketing",
                "body": "Hi {{1}}, spring prices are here!",
                "variable_sources": "partner.name",
            }
        )
        cls.dana = cls.env["res.partner"].create(
            {"name": "Dana Levi", "phone": "054-123-4567", "country_id": cls.env.ref("base.il").id}
        )

    def setUp(self):
        super().setUp()
        self.sent_to = []
        original = self.fake._answer

        def answer(method, path):
            request = self.fake.requests[-1] if self.fake.requests else {}
            scripted = any(m == method and regex.search(path) for m, regex, _r in self.fake.routes)
            if method == "POST" and path.endswith("/messages") and not scripted:
                body = request.get("json") or {}
                self.sent_to.append(body.get("to"))
                return 200, {"messages": [{"id": f"wamid.{body.get('to')}.{len(self.sent_to)}"}]}
            return original(method, path)

        self.fake._answer = answer
        self.addCleanup(setattr, self.fake, "_answer", original)

    def sends(self, to=None):
        """Message bodies POSTed to the Graph API (to ``to`` only, when given)."""
        return [
            r["json"]
            for r in self.fake.calls("POST", MESSAGES)
            if r["json"] and (to is None or r["json"].get("to") == to)
        ]

    def drain(self):
        self.env["mychat.message"]._cron_send_queued()

    def inbound(self, text, wa_id=wa.DANA, wamid=None, ts=None, name="Dana Levi"):
        wamid = wamid or f"wamid.in.{wa_id}.{time.monotonic_ns()}"
        response = self.post_signed(
            wa.notification([wa.text(wamid, text, wa_id=wa_id, ts=ts)], wa_id=wa_id, name=name)
        )
        self.assertEqual(response.status_code, 200)
        self.process()
        return self.env["mychat.message"].search([("external_id", "=", wamid)])

    def statuses(self, statuses):
        body = json.dumps(wa.notification(statuses=statuses)).encode()
        self.assertEqual(self.post_signed(body).status_code, 200)
        self.process()
