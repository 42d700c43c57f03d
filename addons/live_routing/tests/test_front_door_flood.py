from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFrontDoorFlood(HttpCase):
    """A script opens 100 website live chat sessions from one IP address, each without cookies (a new guest
    every time) and each posting one message. Past the limit (10 new sessions per IP per minute) the
    server answers 429 with Retry-After and creates nothing; the sessions let in get no lead, no routing
    decision and no SMS alert, because nobody filled a form or wrote a second message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # HttpCase's request guard compares the timeout with a number: use one number, not (connect, read)
        cls.startClassPatcher(patch("odoo.addons.mychat_omnichannel.models.mychat_channel.TIMEOUT", 5))
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        always = cls.env["resource.calendar"].create({"name": "Always", "tz": "UTC", "flexible_hours": True})
        cls.env.company.resource_calendar_id = always
        cls.agent = cls.env["res.users"].create(
            {
                "name": "Flood Operator",
                "login": "flood.operator",
                "phone": "+972501234567",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.env["mail.presence"].create({"user_id": cls.agent.id, "status": "online"})
        cls.team = cls.env["crm.team"].create({"name": "Web team", "mychat_sms_alert": True})
        cls.env["crm.team.member"].create({"crm_team_id": cls.team.id, "user_id": cls.agent.id})
        cls.livechat = cls.env["im_livechat.channel"].create(
            {"name": "Website", "user_ids": [Command.set(cls.agent.ids)]}
        )
        cls.env["mychat.channel"]._mychat_livechat_channel(cls.env.company).team_id = cls.team
        cls.env["mychat.channel"].create(
            {
                "name": "SMS alerts",
                "channel_type": "sms",
                "secret": "t",
                "sms_account_sid": "AC1",
                "external_account_id": "+14155550000",
                "api_base_url": "http://127.0.0.1:9/2010-04-01",
            }
        )
        cls.env["mychat.lead.rule"].create({"name": "Every visitor"})

    def open_session(self):
        self.opener.cookies.clear()  # a script keeps no cookie: a new guest each time
        return self.url_open(
            "/im_livechat/get_session",
            json={"jsonrpc": "2.0", "id": 1, "method": "call", "params": {"channel_id": self.livechat.id}},
        )

    def post(self, session_id, body):
        return self.url_open(
            "/mail/message/post",
            json={
                "jsonrpc": "2.0",
                "id": 2,
                "method": "call",
                "params": {
                    "thread_model": "discuss.channel",
                    "thread_id": session_id,
                    "post_data": {
                        "body": body,
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                },
            },
        )

    def test_flood_from_one_ip(self):
        leads_before = self.env["crm.lead"].search_count([])
        sms_before = self.env["mychat.message"].search_count([("channel_id.channel_type", "=", "sms")])
        statuses, session_ids = [], []
        for index in range(100):
            response = self.open_session()
            statuses.append(response.status_code)
            if response.status_code == 200:
                session_id = response.json()["result"]["channel_id"]
                session_ids.append(session_id)
                self.assertEqual(self.post(session_id, f"buy cheap pills {index}").status_code, 200)
            else:
                self.assertEqual(response.status_code, 429)
                self.assertGreaterEqual(int(response.headers["Retry-After"]), 1)
                self.assertEqual(
                    response.json()["error"]["code"], 429, "a JSON-RPC error the client can show"
                )
        self.assertEqual(statuses.count(200), 10, "the default: 10 new sessions per IP per minute")
        self.assertEqual(statuses.count(429), 90)
        sessions = self.env["discuss.channel"].search([("livechat_channel_id", "=", self.livechat.id)])
        self.assertEqual(len(sessions), 10, "a refused request creates nothing")
        convs = self.env["mychat.conversation"].search([("channel_type", "=", "livechat")])
        self.assertEqual(len(convs), 10)
        self.assertTrue(all(convs.mapped("mychat_held")), "held at the front door")
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before, "no lead")
        self.assertFalse(self.env["mychat.assignment.log"].search([("conversation_id", "in", convs.ids)]))
        self.assertFalse(convs.filtered("user_id"), "no routing decision")
        sms_after = self.env["mychat.message"].search_count([("channel_id.channel_type", "=", "sms")])
        self.assertEqual(sms_after, sms_before, "no SMS alert")
        blocked = self.env["mychat.rate.block"].search([("kind", "=", "session_ip")])
        self.assertEqual(blocked.count, 90, "blocked attempts are counted for the managers")
        self.assertEqual(blocked.subject, "127.0.0.1")

        # a real visitor writes again: the conversation comes in (lead rule, routing, SMS alert)
        self.opener.cookies.clear()
        conv = convs.filtered(lambda c: c.external_thread_id == f"discuss.channel:{session_ids[0]}")
        session = self.env["discuss.channel"].browse(session_ids[0])
        guest = session.channel_member_ids.guest_id
        self.opener.cookies.set(guest._cookie_name, guest._format_auth_cookie())
        self.assertEqual(self.post(session.id, "I would like a quote").status_code, 200)
        self.assertFalse(conv.mychat_held)
        self.assertTrue(conv.lead_id, "the lead rule applies from the second message")
        self.assertTrue(self.env["mychat.assignment.log"].search([("conversation_id", "=", conv.id)]))
        self.assertEqual(conv.user_id, self.agent)

    def test_limits_are_configurable(self):
        self.env["ir.config_parameter"].sudo().set_param("mychat.ratelimit_sessions_per_ip", "3")
        statuses = [self.open_session().status_code for _i in range(5)]
        self.assertEqual(statuses, [200, 200, 200, 429, 429])
        self.env["ir.config_parameter"].sudo().set_param("mychat.ratelimit_sessions_per_ip", "0")
        self.assertEqual(self.open_session().status_code, 200, "0 switches the limit off")

    def test_messages_per_guest_are_limited(self):
        self.env["ir.config_parameter"].sudo().set_param("mychat.ratelimit_messages_per_guest", "3")
        session_id = self.open_session().json()["result"]["channel_id"]
        statuses = [self.post(session_id, f"message {i}").status_code for i in range(5)]
        self.assertEqual(statuses, [200, 200, 200, 429, 429])
        session = self.env["discuss.channel"].browse(session_id)
        posted = session.message_ids.filtered(lambda m: m.message_type == "comment" and m.author_guest_id)
        self.assertEqual(len(posted), 3, "refused messages are not posted")
