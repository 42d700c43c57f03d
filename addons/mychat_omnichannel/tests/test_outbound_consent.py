import json
from urllib.parse import urlencode

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.signatures import twilio_signature
from . import whatsapp_payloads as wa
from .outbound_common import WABA, OutboundCase

OPT_OUT_WORDS = ["STOP", "stop!", "ביטול", "הסר", "إلغاء", "стоп", "Отписаться", "спри"]


@tagged("post_install", "-at_install")
class TestConsentKeywords(OutboundCase):
    def consents(self, **domain):
        return self.env["mychat.consent"].search(
            [("channel_id", "=", self.channel.id), *[(k, "=", v) for k, v in domain.items()]]
        )

    def test_each_opt_out_keyword(self):
        for index, word in enumerate(OPT_OUT_WORDS):
            with self.subTest(word=word):
                wa_id = f"97254200{index:04d}"
                message = self.inbound(word, wa_id=wa_id, name=f"Customer {index}")
                contact = message.conversation_id.contact_id
                consent = self.consents(contact_id=contact.id)
                self.assertEqual(len(consent), 1)
                self.assertEqual(consent.state, "opted_out")
                self.assertEqual(consent.source, "keyword")
                self.assertEqual(consent.proof, word, "the customer's own text is the proof")
                self.assertEqual(consent.message_id, message)
                self.drain()
                [confirmation] = self.sends(to=wa_id)
                self.assertEqual(confirmation["type"], "text")
                self.assertEqual(consent.confirmation_message_id.author_kind, "system")
                # the same keyword again: no second record, no second confirmation
                self.inbound(word, wa_id=wa_id)
                self.drain()
                self.assertEqual(len(self.consents(contact_id=contact.id)), 1)
                self.assertEqual(len(self.sends(to=wa_id)), 1)
                with self.assertRaisesRegex(UserError, "opted out"):
                    message.conversation_id.send_reply("Are you sure?")

    def test_words_inside_a_sentence_are_no_keyword(self):
        self.inbound("Please don't stop the delivery")
        self.assertFalse(self.consents())

    def test_opt_in_by_keyword_after_opt_out(self):
        conv = self.inbound("STOP").conversation_id
        self.inbound("START")
        self.drain()
        history = self.consents(contact_id=conv.contact_id.id)
        self.assertEqual(
            history.mapped("state"), ["opted_in", "opted_out"], "newest first: the history is kept"
        )
        self.assertEqual(history[0].partner_id, self.dana)
        self.assertEqual(len(self.sends(to=wa.DANA)), 2, "one confirmation each")
        conv.send_reply("Welcome back")
        self.drain()
        self.assertEqual(len(self.sends(to=wa.DANA)), 3)
        self.assertIn("WhatsApp test: Opted in", self.dana.mychat_consent_summary)
        # marketing is allowed now
        self.assertTrue(self.channel.start_conversation(self.dana.id, template_id=self.marketing.id))

    def test_meta_marketing_opt_out_error(self):
        self.env["mychat.consent"].create(
            {
                "partner_id": self.dana.id,
                "channel_id": self.channel.id,
                "state": "opted_in",
                "source": "import",
                "proof": "CRM import 2026-01",
            }
        )
        conv = self.env["mychat.conversation"].browse(
            self.channel.start_conversation(self.dana.id, template_id=self.marketing.id)
        )
        self.drain()
        message = self.env["mychat.message"].search([("conversation_id", "=", conv.id)])
        errors = [
            {
                "code": 131050,
                "title": "This recipient has chosen to stop receiving marketing messages.",
            }
        ]
        self.statuses([wa.status(message.external_id, "failed", 1_780_000_000, errors=errors)])
        self.assertEqual(message.state, "failed")
        latest = self.env["mychat.consent"]._mychat_latest(self.channel, self.dana)
        self.assertEqual((latest.state, latest.source), ("opted_out", "provider"))
        self.assertIn("131050", latest.proof)
        self.assertEqual(len(self.sends()), 1, "no confirmation: Meta refuses to deliver")

    def test_meta_opt_out_error_on_send(self):
        self.env["mychat.consent"].create(
            {
                "partner_id": self.dana.id,
                "channel_id": self.channel.id,
                "state": "opted_in",
                "source": "import",
                "proof": "import",
            }
        )
        self.fake.route(
            "POST",
            r"/messages$",
            (400, {"error": {"code": 131050, "message": "User opted out of marketing"}}),
        )
        self.channel.start_conversation(self.dana.id, template_id=self.marketing.id)
        self.drain()
        self.assertEqual(self.env["mychat.consent"]._mychat_status(self.channel, self.dana), "opted_out")

    def test_phone_blacklist_is_honoured(self):
        conv = self.inbound("Hello", wa_id="12025550123").conversation_id
        self.env["phone.blacklist"].sudo().create({"number": "+12025550123"})
        with self.assertRaisesRegex(UserError, "opted out"):
            conv.send_reply("Hi")


@tagged("post_install", "-at_install")
class TestProviderSignals(OutboundCase):
    def test_twilio_stop(self):
        sms = self.env["mychat.channel"].create(
            {
                "name": "SMS",
                "channel_type": "sms",
                "secret": "twilio_tok",
                "sms_account_sid": "AC1",
                "external_account_id": "+14155550000",
                "api_base_url": f"{self.fake.url}/2010-04-01",
                "country_id": self.env.ref("base.us").id,
            }
        )
        params = [
            ("MessageSid", "SM0001"),
            ("SmsStatus", "received"),
            ("From", "+14155551234"),
            ("To", "+14155550000"),
            ("Body", "STOP"),
            ("OptOutType", "STOP"),
            ("NumMedia", "0"),
        ]
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio_signature("twilio_tok", sms.webhook_url, params),
        }
        response = self.url_open(self.webhook_url(sms), data=urlencode(params).encode(), headers=headers)
        self.assertEqual(response.status_code, 200)
        self.process()
        contact = self.env["mychat.contact"].search([("channel_id", "=", sms.id)])
        consents = self.env["mychat.consent"].search([("channel_id", "=", sms.id)])
        self.assertEqual(len(consents), 1, "the keyword adds nothing to the provider's signal")
        self.assertEqual(
            (consents.state, consents.source, consents.contact_id), ("opted_out", "provider", contact)
        )
        self.assertFalse(self.fake.calls("POST", r"/Messages\.json$"), "Twilio confirms by itself")
        self.assertEqual(
            len(self.env["mychat.message"].search([("channel_id", "=", sms.id)])), 1, "the STOP is kept"
        )

    def telegram(self):
        return self.env["mychat.channel"].create(
            {
                "name": "TG",
                "channel_type": "telegram",
                "secret": "tg-secret",
                "access_token": "42:TOKEN",
                "api_base_url": self.fake.url,
            }
        )

    def test_telegram_bot_blocked(self):
        tg = self.telegram()
        update = {
            "update_id": 9001,
            "my_chat_member": {
                "chat": {"id": 777, "first_name": "Ann", "type": "private"},
                "from": {"id": 777, "is_bot": False, "first_name": "Ann"},
                "date": 1780000000,
                "old_chat_member": {"user": {"id": 42, "is_bot": True}, "status": "member"},
                "new_chat_member": {"user": {"id": 42, "is_bot": True}, "status": "kicked", "until_date": 0},
            },
        }
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "tg-secret"}
        self.assertEqual(
            self.url_open(
                self.webhook_url(tg), data=json.dumps(update).encode(), headers=headers
            ).status_code,
            200,
        )
        self.process()
        consent = self.env["mychat.consent"].search([("channel_id", "=", tg.id)])
        self.assertEqual((consent.state, consent.source), ("opted_out", "provider"))
        self.assertEqual(consent.contact_id.external_id, "777")

    def test_telegram_403_on_send(self):
        tg = self.telegram()
        contact = self.env["mychat.contact"].create(
            {"channel_id": tg.id, "external_id": "778", "partner_id": self.dana.id}
        )
        conv = self.env["mychat.conversation"].create({"channel_id": tg.id, "contact_id": contact.id})
        self.fake.route(
            "POST",
            r"/bot42:TOKEN/sendMessage$",
            (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
        )
        conv.send_reply("Hello")
        self.drain()
        self.assertEqual(self.env["mychat.consent"]._mychat_status(tg, self.dana, contact), "opted_out")
        with self.assertRaisesRegex(UserError, "opted out"):
            tg.start_conversation(self.dana.id, body="Hello again")


@tagged("post_install", "-at_install")
class TestTemplateSync(OutboundCase):
    def graph_templates(self):
        path = rf"^/v23\.0/{WABA}/message_templates"
        page2 = f"{self.fake.url}/v23.0/{WABA}/message_templates?after=CURSOR2"
        self.fake.route(
            "GET",
            path,
            (
                200,
                {
                    "data": [
                        {
                            "id": "1001",
                            "name": "spring_sale",
                            "language": "en_US",
                            "status": "APPROVED",
                            "category": "MARKETING",
                            "components": [
                                {
                                    "type": "HEADER",
                                    "format": "IMAGE",
                                    "example": {"header_handle": ["https://scontent.example/h.jpg"]},
                                },
                                {"type": "BODY", "text": "Hi {{1}}, 20% off until {{2}}."},
                                {"type": "FOOTER", "text": "Reply STOP to unsubscribe"},
                                {
                                    "type": "BUTTONS",
                                    "buttons": [
                                        {"type": "QUICK_REPLY", "text": "Stop promotions"},
                                        {"type": "URL", "text": "Shop", "url": "https://shop.example/{{1}}"},
                                    ],
                                },
                            ],
                        },
                        {
                            "id": "1002",
                            "name": "order_ready",
                            "language": "he",
                            "status": "PENDING",
                            "category": "UTILITY",
                            "components": [
                                {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}"},
                                {"type": "BODY", "text": "ההזמנה {{1}} מוכנה"},
                            ],
                        },
                    ],
                    "paging": {"cursors": {"after": "CURSOR2"}, "next": page2},
                },
            ),
            (
                200,
                {
                    "data": [
                        {
                            "id": "1003",
                            "name": "old_promo",
                            "language": "en_US",
                            "status": "REJECTED",
                            "category": "MARKETING",
                            "components": [{"type": "BODY", "text": "Old promo"}],
                        },
                    ]
                },
            ),
        )

    def test_sync_then_status_webhook(self):
        self.graph_templates()
        self.channel.action_sync_templates()
        calls = self.fake.calls("GET", "message_templates")
        self.assertEqual(len(calls), 2, "every page is read")
        self.assertEqual(calls[0]["headers"]["Authorization"], "Bearer graph-token")
        Template = self.env["mychat.template"]
        sale = Template.search([("external_id", "=", "1001")])
        self.assertEqual(
            (sale.provider_name, sale.lang, sale.category, sale.status, sale.header_type, sale.footer),
            ("spring_sale", "en_US", "marketing", "approved", "image", "Reply STOP to unsubscribe"),
        )
        self.assertEqual(sale.header_media_url, "https://scontent.example/h.jpg")
        self.assertEqual(sale.variable_count, 2)
        self.assertEqual([b["text"] for b in sale.buttons], ["Stop promotions", "Shop"])
        ready = Template.search([("external_id", "=", "1002")])
        self.assertEqual(
            (ready.status, ready.header_type, ready.header_text), ("pending", "text", "Order {{1}}")
        )
        self.assertEqual(Template.search([("external_id", "=", "1003")]).status, "rejected")
        usable = Template._mychat_usable_for(self.channel)
        self.assertIn(sale, usable)
        self.assertNotIn(ready, usable, "only approved templates are offered")

        # Meta approves order_ready: the webhook updates it
        change = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": WABA,
                    "time": 1780000000,
                    "changes": [
                        {
                            "field": "message_template_status_update",
                            "value": {
                                "event": "APPROVED",
                                "message_template_id": 1002,
                                "message_template_name": "order_ready",
                                "message_template_language": "he",
                                "reason": "NONE",
                            },
                        }
                    ],
                }
            ],
        }
        self.assertEqual(self.post_signed(change).status_code, 200)
        self.process()
        self.assertEqual(ready.status, "approved")
        self.assertIn(ready, Template._mychat_usable_for(self.channel))
        change["entry"][0]["changes"][0]["value"].update(
            event="PAUSED",
            message_template_id=1001,
            message_template_name="spring_sale",
            message_template_language="en_US",
            reason="Low quality",
        )
        self.post_signed(change)
        self.process()
        self.assertEqual((sale.status, sale.status_reason), ("paused", "Low quality"))

        # a second sync keeps the ids, archives templates Meta no longer lists
        self.fake.routes.clear()
        self.fake.route("GET", rf"^/v23\.0/{WABA}/message_templates", (200, {"data": []}))
        self.channel._whatsapp_sync_templates()
        self.assertFalse(sale.active)

    def test_header_media_and_buttons_are_sent(self):
        self.graph_templates()
        self.channel._whatsapp_sync_templates()
        sale = self.env["mychat.template"].search([("external_id", "=", "1001")])
        sale.header_media_url = "https://cdn.example.com/spring.jpg"
        self.env["mychat.consent"].create(
            {
                "partner_id": self.dana.id,
                "channel_id": self.channel.id,
                "state": "opted_in",
                "source": "form",
                "proof": "Newsletter form",
            }
        )
        self.channel.start_conversation(self.dana.id, template_id=sale.id, values=["Dana", "Friday"])
        self.drain()
        [sent] = self.sends()
        components = {c["type"] + c.get("index", ""): c for c in sent["template"]["components"]}
        self.assertEqual(sent["template"]["language"]["code"], "en_US")
        self.assertEqual(
            components["header"]["parameters"][0],
            {"type": "image", "image": {"link": "https://cdn.example.com/spring.jpg"}},
        )
        self.assertEqual([p["text"] for p in components["body"]["parameters"]], ["Dana", "Friday"])
        self.assertEqual(components["button0"]["sub_type"], "quick_reply")
        self.assertEqual(components["button1"]["sub_type"], "url")

    def test_sync_needs_the_waba_id(self):
        self.channel.whatsapp_business_account_id = False
        with self.assertRaisesRegex(UserError, "Business Account ID"):
            self.channel.action_sync_templates()
