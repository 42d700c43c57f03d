import time
from datetime import datetime

from odoo.tests import Form, tagged
from odoo.tools import SQL

from .crm_common import MychatCrmCase


@tagged("post_install", "-at_install")
class TestPartnerEvents(MychatCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mychat.lead.rule"].search([]).active = False
        cls.company = cls.env["res.partner"].create(
            {"name": "Solar Ltd", "is_company": True, "phone": "03-555-0000"}
        )
        cls.office = cls.env["res.partner"].create(
            {"name": "Office manager", "parent_id": cls.company.id, "phone": "052-555-1234"}
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Stranger", "phone": "050-999-0000"})

    def _conversations(self):
        now = time.time()
        old = self.receive("97235550000", "Old question from the company", ts=now - 3 * 86400)
        old.action_resolve()
        bot = self.receive("97235550000", "Bot greeting", ts=now - 86400)
        bot.is_chatbot = True
        newest = self.receive("972525551234", "Newest from the office", ts=now - 60)
        self.receive("972509990000", "Not theirs", ts=now)
        return old, bot, newest

    def test_events_tab_content_and_order(self):
        old, bot, newest = self._conversations()
        form = Form(self.company)
        events = form.mychat_event_ids
        self.assertEqual(
            [events[i].id for i in range(len(events))], [newest.id, bot.id, old.id], "newest first"
        )
        self.assertEqual(self.company.mychat_conversation_count, 3, "the company and its contacts")
        self.assertEqual(self.office.mychat_conversation_count, 1)
        self.assertEqual(self.office.mychat_event_ids, newest)
        self.assertTrue(events[1].is_chatbot)
        action = self.company.action_view_mychat_conversations()
        self.assertEqual(self.env["mychat.conversation"].search(action["domain"]), old | bot | newest)

    def test_ten_thousand_conversations(self):
        """Counts come from one grouped query and the page reads one screen of rows."""
        contact = self.receive("97235550000").contact_id
        self.env.flush_all()
        start = datetime(2026, 1, 1)
        self.env.cr.execute(
            SQL(
                """INSERT INTO mychat_conversation
                          (channel_id, contact_id, partner_id, company_id, channel_type, state,
                           last_message_date, last_message_preview)
                   SELECT %(channel)s, %(contact)s, %(partner)s, %(company)s, 'whatsapp', 'resolved',
                          %(start)s + g * interval '1 minute', 'message ' || g
                     FROM generate_series(1, 9999) g""",
                channel=self.channel.id,
                contact=contact.id,
                partner=self.company.id,
                company=self.channel.company_id.id,
                start=start,
            )
        )
        self.env.invalidate_all()
        begin = time.perf_counter()
        with self.assertQueryCount(__system__=12):
            self.company.invalidate_recordset()
            self.assertEqual(self.company.mychat_conversation_count, 10000)
        spec = {
            "mychat_conversation_count": {},
            "mychat_event_ids": {
                "fields": {
                    "last_message_date": {},
                    "channel_id": {"fields": {"display_name": {}}},
                    "last_message_preview": {},
                    "state": {},
                    "is_chatbot": {},
                },
                "limit": 40,
                "order": "",
            },
        }
        data = self.company.web_read(spec)[0]
        elapsed = time.perf_counter() - begin
        self.assertEqual(len(data["mychat_event_ids"]), 10000)
        self.assertEqual(data["mychat_event_ids"][0]["last_message_preview"], "Hello", "the newest first")
        self.assertEqual(data["mychat_event_ids"][1]["last_message_preview"], "message 9999")
        self.assertLess(elapsed, 3, "the Events page of a 10,000-conversation customer opens fast")

    def test_tour_events_tab_and_lead_message(self):
        self._conversations()
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{self.company.id}",
            "mychat_partner_events_tour",
            login="admin",
        )
        lead = self.env["crm.lead"].create(
            {"name": "Callback request", "partner_id": self.stranger.id, "type": "opportunity"}
        )
        theirs = self.env["mychat.conversation"].search([("partner_id", "=", self.stranger.id)])
        theirs.mychat_message_ids.body = "Please call me back"
        theirs.action_resolve()
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}", "mychat_lead_message_tour", login="admin"
        )
        self.assertEqual(theirs.state, "open")
        self.assertEqual(theirs.lead_id, lead)
