from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import MychatHttpCase

PAGE = "682498302938465"
PSID = "17841400000000077"


@tagged("post_install", "-at_install")
class TestAgentDay(MychatHttpCase):
    """What the inbox shows an agent: names instead of ids, counts matching the queues, one-click filters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.page = cls.env["mychat.channel"].create(
            {
                "name": "Messenger day",
                "channel_type": "messenger",
                "external_account_id": PAGE,
                "api_base_url": f"{cls.fake.url}/v23.0",
                "secret": "page_app_secret",
                "access_token": "page-token",
            }
        )

    def text_event(self, mid, text="hello"):
        stamp = int((fields.Datetime.now() - timedelta(minutes=5)).timestamp() * 1000)
        event = {
            "sender": {"id": PSID},
            "recipient": {"id": PAGE},
            "timestamp": stamp,
            "message": {"mid": mid, "text": text},
        }
        return {"object": "page", "entry": [{"id": PAGE, "time": stamp, "messaging": [event]}]}

    def test_profile_name_replaces_the_numeric_id(self):
        self.fake.route("GET", rf"^/v23\.0/{PSID}\?", (400, {"error": {"message": "not yet", "code": 100}}))
        self.post_signed(self.text_event("m_1"), channel=self.page, secret="page_app_secret")
        self.process()
        contact = self.env["mychat.contact"].search([("channel_id", "=", self.page.id)])
        self.assertFalse(contact.name)
        self.assertEqual(contact.display_name, "Messenger user …0077", "never the raw page-scoped id")
        conv = contact.conversation_ids
        self.assertEqual(conv.display_name, "Messenger user …0077")

        # an hour later the profile answers: the next message names the sender everywhere
        self.env.cr.execute(
            "UPDATE mychat_contact SET write_date = write_date - interval '2 hours' WHERE id = %s",
            [contact.id],
        )
        contact.invalidate_recordset()
        self.fake.routes.clear()
        self.fake.route(
            "GET", rf"^/v23\.0/{PSID}\?", (200, {"first_name": "Noa", "last_name": "Cohen", "id": PSID})
        )
        self.post_signed(self.text_event("m_2"), channel=self.page, secret="page_app_secret")
        self.process()
        contact.invalidate_recordset()
        conv.invalidate_recordset()
        self.assertEqual(contact.name, "Noa Cohen")
        self.assertEqual(conv.display_name, "Noa Cohen", "the customer's name, without the channel's")

    def test_inbox_counts_and_channel_filters(self):
        agent = self.env["res.users"].create(
            {
                "name": "Counting agent",
                "login": "counting.agent",
                "group_ids": [fields.Command.link(self.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        Conv = self.env["mychat.conversation"]
        before = Conv.with_user(agent).mychat_inbox_counts()
        self.fake.route("GET", rf"^/v23\.0/{PSID}\?", (400, {"error": {"message": "no", "code": 100}}))
        self.post_signed(self.text_event("m_3"), channel=self.page, secret="page_app_secret")
        self.process()
        conv = Conv.search([("channel_id", "=", self.page.id)])
        conv.user_id = False
        after = Conv.with_user(agent).mychat_inbox_counts()
        queues = {q["filter"]: q for q in after["queues"]}
        old = {q["filter"]: q["count"] for q in before["queues"]}
        self.assertEqual(queues["unassigned"]["count"], old["unassigned"] + 1)
        self.assertTrue(queues["unassigned"]["urgent"], "the customer waits for our reply")
        self.assertEqual(queues["mine"]["count"], old["mine"])
        channels = {c["type"]: c for c in after["channels"]}
        self.assertEqual(channels["messenger"]["filter"], "channel_messenger")
        self.assertEqual(
            Conv.with_user(agent).search_count(
                [("channel_type", "=", "messenger"), ("state", "!=", "resolved")]
            ),
            channels["messenger"]["count"],
        )
        # Take: the unassigned conversation becomes the agent's
        conv.with_user(agent).action_take()
        self.assertEqual(conv.user_id, agent)
        queues = {q["filter"]: q["count"] for q in Conv.with_user(agent).mychat_inbox_counts()["queues"]}
        self.assertEqual(queues["mine"], old["mine"] + 1)

    def test_inbox_counts_are_one_scan_agreeing_with_the_filters(self):
        """Every counter of the inbox bar is what its filter finds (record rules applied), read in one
        statement over the open conversations."""
        self.fake.route("GET", rf"^/v23\.0/{PSID}\?", (400, {"error": {"message": "no", "code": 100}}))
        for external_id in ("m_4", "m_5", "m_6"):
            self.post_signed(self.text_event(external_id), channel=self.page, secret="page_app_secret")
        self.process()
        Conv = self.env["mychat.conversation"].with_user(self.env.ref("base.user_admin"))
        Conv.search([("channel_id", "=", self.page.id)], limit=1).user_id = self.env.ref("base.user_admin")
        Conv.mychat_inbox_counts()  # the record rules and access rights read once, then cached
        self.env.flush_all()
        with self.assertQueryCount(1):
            counts = Conv.mychat_inbox_counts()
        open_domain = [("state", "!=", "resolved")]
        for (name, _label, domain), queue in zip(Conv._mychat_inbox_queues(), counts["queues"], strict=True):
            self.assertEqual(queue["filter"], name)
            self.assertEqual(queue["count"], Conv.search_count(open_domain + domain), name)
            waiting = Conv.search_count(open_domain + domain + [("awaiting_reply", "=", True)])
            self.assertEqual(queue["urgent"], bool(waiting), name)
        for channel in counts["channels"]:
            domain = open_domain + [("channel_type", "=", channel["type"])]
            self.assertEqual(channel["count"], Conv.search_count(domain), channel["type"])
        self.assertTrue(any(channel["type"] == "messenger" for channel in counts["channels"]))

    def test_chatbot_contact_phone_reads_with_language_country(self):
        bot_channel = self.env["mychat.channel"].create({"name": "Bot", "channel_type": "chatbot"})
        bot_channel.country_id = False
        bot_channel.company_id.country_id = False
        Contact = self.env["mychat.contact"]
        self.assertEqual(Contact._mychat_lang_country("he_IL").code, "IL")
        contact = Contact.create(
            {"channel_id": bot_channel.id, "external_id": "u1", "lang": "he_IL", "phone": "054-123-4567"}
        )
        self.assertEqual(contact.phone, "+972541234567")
