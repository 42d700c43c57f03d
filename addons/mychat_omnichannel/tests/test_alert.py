from unittest.mock import patch
from urllib.parse import parse_qs

from markupsafe import Markup

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..tools.inbound import InboundContact, InboundMessage
from .common import MychatCase

MESSAGES_PATH = r"^/2010-04-01/Accounts/AC1/Messages\.json$"


@tagged("post_install", "-at_install")
class TestAgentAlert(MychatCase):
    """res.users._mychat_alert: the one path that tells people a conversation needs them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "alert_agent", groups="mychat_omnichannel.group_mychat_user", email="agent@example.com"
        )
        cls.agent.partner_id.phone = "054-765-4321"
        cls.portal = new_test_user(cls.env, "alert_portal", groups="base.group_portal")
        item = InboundMessage(
            external_id="wamid.ALERT",
            contact=InboundContact(external_id="972501112233", name="Dana"),
            date=fields.Datetime.now(),
            body="Hello",
        )
        cls.conv = cls.env["mychat.conversation"]._mychat_ingest(cls.channel, item).conversation_id

    def sms_channel(self):
        return self.env["mychat.channel"].create(
            {
                "name": "Alerts",
                "channel_type": "sms",
                "secret": "twilio-token",
                "sms_account_sid": "AC1",
                "external_account_id": "+14155550000",
                "api_base_url": f"{self.fake.url}/2010-04-01",
            }
        )

    def test_popup_reaches_internal_users_only(self):
        with patch.object(type(self.env["res.users"]), "_bus_send", autospec=True) as bus_send:
            result = (self.agent | self.portal)._mychat_alert("handoff", self.conv, "Dana asks for a human")
        self.assertEqual(result, {"popup": None})
        ((user, kind, payload),) = [call.args for call in bus_send.call_args_list]
        self.assertEqual((user, kind), (self.agent, "simple_notification"))
        self.assertEqual(
            (payload["mychat_alert"], payload["conversation_id"], payload["message"], payload["sticky"]),
            ("handoff", self.conv.id, "Dana asks for a human", True),
        )

    def test_email_with_details_and_link(self):
        result = self.agent._mychat_alert(
            "handoff", self.conv, "Dana asks", title="Needs you", media=["email"], details=Markup("<b>x</b>")
        )
        self.assertEqual(result, {"email": None})
        mail = self.env["mail.mail"].search([("email_to", "=", "agent@example.com")])
        self.assertEqual(mail.subject, "Needs you")
        self.assertIn(f"/odoo/mychat.conversation/{self.conv.id}", mail.body_html)
        self.assertIn("<b>x</b>", mail.body_html)

    def test_sms_through_the_mychat_sms_channel(self):
        sms = self.sms_channel()
        sms.country_id = self.env.ref("base.il")
        self.fake.route("POST", MESSAGES_PATH, (201, {"sid": "SM1"}))
        result = self.agent._mychat_alert("assigned", self.conv, "New conversation for you", media=["sms"])
        self.assertEqual(result, {"sms": None})
        (call,) = self.fake.calls("POST", MESSAGES_PATH)
        form = parse_qs(call["body"].decode())
        self.assertEqual((form["To"], form["Body"]), (["+972547654321"], ["New conversation for you"]))
        self.assertFalse(
            self.env["mychat.conversation"].search([("channel_id", "=", sms.id)]),
            "no contact or conversation is made up to text an agent",
        )

    def test_failures_are_reported_never_raised(self):
        self.sms_channel()
        self.fake.route("POST", MESSAGES_PATH, (400, {"code": 21211, "message": "Invalid 'To'"}))
        nobody = self.env["res.users"]
        result = self.agent._mychat_alert("assigned", self.conv, "Hi", media=["sms", "email"])
        self.assertIn("not a valid phone number", result["sms"])
        self.assertIsNone(result["email"], "one medium failing does not stop the others")
        result = nobody._mychat_alert("assigned", self.conv, "Hi", media=["popup", "email", "sms"])
        self.assertEqual(
            result,
            {
                "popup": "No user to notify.",
                "email": "Email alert not sent: no address.",
                "sms": "SMS alert not sent: no phone number.",
            },
        )

    def test_without_sms_channel(self):
        result = self.agent._mychat_alert("assigned", self.conv, "Hi", media=["sms"])
        self.assertEqual(result, {"sms": "SMS alert not sent: no SMS channel."})
        if "sms.sms" in self.env:
            result = self.agent._mychat_alert("assigned", self.conv, "Hi", media=["sms"], odoo_sms=True)
            self.assertEqual(result, {"sms": None})
            self.assertEqual(self.env["sms.sms"].search([("body", "=", "Hi")]).number, "054-765-4321")
