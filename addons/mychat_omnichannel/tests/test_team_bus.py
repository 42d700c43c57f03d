import json

from websocket import WebSocketTimeoutException

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.bus.tests.common import WebsocketCase

from ..tools.inbound import InboundContact, InboundMessage


@tagged("post_install", "-at_install")
class TestTeamBus(WebsocketCase):
    """A team's news go out once on its bus channel (not once per member), to the clients of its MyChat
    members only; an agent's own news carry their systray counter."""

    def setUp(self):
        super().setUp()
        self.team = self.env["crm.team"].create({"name": "Bus team"})
        self.members = [
            new_test_user(
                self.env,
                f"bus_agent_{i}",
                password="Password!1",
                groups="mychat_omnichannel.group_mychat_user",
            )
            for i in range(3)
        ]
        self.env["crm.team.member"].create(
            [{"crm_team_id": self.team.id, "user_id": u.id} for u in self.members]
        )
        self.outsider = new_test_user(
            self.env, "bus_outsider", password="Password!1", groups="mychat_omnichannel.group_mychat_user"
        )
        self.channel = self.env["mychat.channel"].create(
            {"name": "Bus WhatsApp", "channel_type": "whatsapp", "team_id": self.team.id}
        )
        self.conv = self.inbound("wamid.BUS1", "Anyone there?").conversation_id
        self.conv.user_id = False  # whatever routing did: the team's unassigned conversation

    def inbound(self, external_id, body):
        return self.env["mychat.conversation"]._mychat_ingest(
            self.channel,
            InboundMessage(
                external_id=external_id,
                contact=InboundContact("972501234567", name="Dana", phone="972501234567"),
                date=fields.Datetime.now(),
                body=body,
            ),
        )

    def news_since(self, last_id):
        """The "mychat/conversation" bus rows written after ``last_id``: (channel, message) decoded."""
        self.env.cr.precommit.run()  # the bus rows are written on commit
        rows = self.env["bus.bus"].sudo().search([("id", ">", last_id)])
        decoded = [(json.loads(row.channel), json.loads(row.message)) for row in rows]
        return [
            (channel, message) for channel, message in decoded if message["type"] == "mychat/conversation"
        ]

    def connect(self, user):
        self.session = None  # authenticate() deletes the previous session: keep each client's alive
        session = self.authenticate(user.login, "Password!1")
        websocket = self.websocket_connect(cookie=f"session_id={session.sid};")
        self.subscribe(websocket, ["mychat.team_inbox"], self.env["bus.bus"]._bus_last_id())
        return websocket

    def test_unassigned_news_once_per_team_to_its_members(self):
        member_ws = self.connect(self.members[0])
        outsider_ws = self.connect(self.outsider)
        self.env.cr.precommit.run()
        last_id = self.env["bus.bus"]._bus_last_id()
        self.conv._mychat_notify("message", self.conv.mychat_message_ids[-1])
        news = self.news_since(last_id)
        self.assertEqual(len(news), 1, "one bus message for a team of three")
        self.assertEqual(news[0][0], [self.env.cr.dbname, "crm.team", self.team.id, "mychat"])
        self.trigger_notification_dispatching([(self.team, "mychat")])
        (received,) = json.loads(member_ws.recv())
        self.assertEqual(received["message"]["type"], "mychat/conversation")
        payload = received["message"]["payload"]
        self.assertEqual((payload["conversation_id"], payload["assigned_to_me"]), (self.conv.id, False))
        self.assertEqual(payload["preview"], "Anyone there?")
        outsider_ws.settimeout(0.5)
        with self.assertRaises(WebSocketTimeoutException, msg="no news for someone outside the team"):
            outsider_ws.recv()

    def test_agent_news_carry_the_systray_counter(self):
        agent = self.members[1]
        self.conv.write({"user_id": agent.id, "awaiting_reply": True})
        self.env.cr.precommit.run()
        last_id = self.env["bus.bus"]._bus_last_id()
        self.conv._mychat_notify("message", self.conv.mychat_message_ids[-1])
        news = [message for _channel, message in self.news_since(last_id)]
        self.assertEqual(len(news), 1, "the agent only, not the team")
        self.assertEqual(news[0]["payload"]["unanswered_count"], 1)
        self.assertEqual(
            self.env["mychat.conversation"].with_user(agent).mychat_unanswered_count(),
            news[0]["payload"]["unanswered_count"],
            "the pushed counter is the one the client would ask for",
        )

    def test_counter_not_recounted_when_unchanged(self):
        """Another message while the customer already waits leaves the counter: the push says so."""
        agent = self.members[2]
        self.conv.write({"user_id": agent.id, "awaiting_reply": True})
        self.env.cr.precommit.run()
        last_id = self.env["bus.bus"]._bus_last_id()
        self.inbound("wamid.BUS2", "Hello?")
        news = [message["payload"] for _channel, message in self.news_since(last_id)]
        message_news = [n for n in news if n["kind"] == "message" and n["preview"] == "Hello?"]
        self.assertEqual(len(message_news), 1)
        self.assertIsNone(message_news[0]["unanswered_count"], "still waiting: the counter did not move")
