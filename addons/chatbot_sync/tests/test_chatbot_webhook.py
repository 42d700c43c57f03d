import time

from odoo.tests import tagged

from .common import ChatbotHttpCase

CONTACT = {"external_id": "u_123", "name": "Dana Levi", "email": "Dana@Example.com", "phone": "054-123-4567"}


def message_created(msg_id, role, text, ts, **extra):
    return {
        "type": "message.created",
        "conversation_id": "c_42",
        "bot": {"id": "sales-bot", "name": "Sales bot"},
        "contact": CONTACT,
        "message": {"id": msg_id, "role": role, "text": text, "ts": ts, **extra},
    }


TRANSCRIPT = [
    {"id": "m1", "role": "bot", "text": "Hi! How can I help?", "ts": "2026-06-01T10:00:00Z"},
    {"id": "m2", "role": "user", "text": "I want a quote", "ts": "2026-06-01T10:00:09Z"},
    {"id": "m3", "role": "bot", "text": "Which product?", "ts": "2026-06-01T10:00:10Z"},
    {"id": "m4", "role": "user", "text": "Solar kit", "ts": "2026-06-01T10:00:30Z"},
]


@tagged("post_install", "-at_install")
class TestChatbotWebhook(ChatbotHttpCase):
    def conversation(self):
        return self.env["mychat.conversation"].search(
            [("channel_id", "=", self.bot_channel.id), ("external_thread_id", "=", "c_42")]
        )

    def test_increments_then_completion_one_conversation(self):
        partner = self.env["res.partner"].create({"name": "Dana Levi", "email": "dana@example.com"})
        for index, item in enumerate(TRANSCRIPT[:2]):
            response = self.post_event(
                message_created(**{"msg_id": item["id"], **{k: item[k] for k in ("role", "text", "ts")}}),
                f"evt_{index}",
            )
            self.assertEqual(response.status_code, 200)
        self.process()
        conv = self.conversation()
        self.assertEqual(len(conv), 1)
        self.assertTrue(conv.is_chatbot)
        self.assertEqual(conv.mychat_message_ids.mapped("body"), ["Hi! How can I help?", "I want a quote"])
        self.assertEqual(conv.partner_id, partner, "identified by the (case-insensitive) email")

        completed = {
            "type": "conversation.completed",
            "conversation_id": "c_42",
            "subject": "Quote request",
            "contact": {**CONTACT, "customer_ref": "C-1001", "lang": "he_IL"},
            "ended_at": "2026-06-01T10:04:12Z",
            "collected_fields": {"product_interest": {"label": "Product", "value": "Solar kit"}},
            "transcript": TRANSCRIPT,
            "outcome": {"status": "resolved"},
        }
        self.assertEqual(self.post_event(completed, "evt_done").status_code, 200)
        self.assertEqual(self.post_event(completed, "evt_done").status_code, 200, "a replay is acknowledged")
        self.process()
        self.assertEqual(self.env["mychat.event"].search_count([("channel_id", "=", self.bot_channel.id)]), 3)
        self.assertEqual(self.conversation(), conv, "still one conversation")
        self.assertEqual(conv.message_count, 4, "the transcript adds m3 and m4 only")
        messages = conv.mychat_message_ids.sorted("date")
        self.assertEqual(messages.mapped("author_kind"), ["bot", "customer", "bot", "customer"])
        self.assertEqual(messages.mapped("direction"), ["outbound", "inbound", "outbound", "inbound"])
        self.assertEqual(messages.mapped("state"), ["sent", "received", "sent", "received"])
        self.assertEqual(str(messages[3].date), "2026-06-01 10:00:30")
        self.assertEqual(conv.subject, "Quote request")
        self.assertEqual(str(conv.bot_completed_date), "2026-06-01 10:04:12")
        self.assertEqual(
            [(d.key, d.label, d.value, d.source) for d in conv.data_ids],
            [("product_interest", "Product", "Solar kit", "bot")],
        )
        contact = conv.contact_id
        self.assertEqual(
            (contact.external_id, contact.email, contact.phone, contact.customer_ref, contact.lang),
            ("u_123", "dana@example.com", "+972541234567", "C-1001", "he_IL"),
        )
        self.assertFalse(conv.needs_human)

        # the same transcript again under a new delivery id: no duplicate, the collected value is updated
        completed["collected_fields"]["product_interest"]["value"] = "Solar kit XL"
        self.post_event(completed, "evt_done_again")
        self.process()
        self.assertEqual(conv.message_count, 4)
        self.assertEqual(conv.data_ids.value, "Solar kit XL")

    def test_stale_timestamp_and_bad_signature_refused(self):
        event = message_created("m1", "user", "hello", "2026-06-01T10:00:00Z")
        stale = self.post_event(event, "evt_old", timestamp=int(time.time()) - 6 * 60)
        future = self.post_event(event, "evt_future", timestamp=int(time.time()) + 6 * 60)
        forged = self.post_event(event, "evt_forged", secret="whsec_" + "A" * 32)
        garbage = self.post_event(event, "evt_garbage", signature="v1,bm90IGEgc2lnbmF0dXJl")
        self.assertEqual([r.status_code for r in (stale, future, forged, garbage)], [403, 403, 403, 403])
        self.assertFalse(self.env["mychat.event"].search([("channel_id", "=", self.bot_channel.id)]))
        ok = self.post_event(event, "evt_ok", timestamp=int(time.time()) - 4 * 60)
        self.assertEqual(ok.status_code, 200, "inside the ±5 minutes tolerance")

    def test_attachments_only_from_the_bot_host(self):
        self.fake.route("GET", "^/files/roof.jpg", (200, (b"JPEGDATA", "image/jpeg")))
        event = message_created(
            "m9",
            "user",
            "my roof",
            "2026-06-01T10:00:00Z",
            attachments=[
                {"url": f"{self.fake.url}/files/roof.jpg", "mime_type": "image/jpeg", "name": "roof.jpg"},
                {
                    "url": "http://169.254.169.254/latest/meta-data",
                    "mime_type": "text/plain",
                    "name": "x.txt",
                },
            ],
        )
        self.post_event(event, "evt_media")
        self.process()
        message = self.conversation().mychat_message_ids
        self.assertEqual(message.attachment_ids.mapped("name"), ["roof.jpg"])
        self.assertEqual(message.attachment_ids.raw, b"JPEGDATA")
        self.assertIn("refused", message.failure_reason)
        self.assertEqual(len(self.fake.calls("GET")), 1, "nothing was requested from the foreign host")

    def test_handoff_flags_notifies_and_tells_the_bot(self):
        self.fake.route("POST", "^/bot/events", (200, {"ok": True}))
        handoff = {
            "type": "conversation.handoff_requested",
            "conversation_id": "c_42",
            "contact": CONTACT,
            "transcript": TRANSCRIPT[:2],
            "reason": "wants a human",
        }
        self.post_event(handoff, "evt_handoff")
        self.post_event({**handoff, "transcript": TRANSCRIPT}, "evt_handoff_2")  # the bot asks twice
        self.process()
        conv = self.conversation()
        self.assertTrue(conv.needs_human)
        self.assertEqual(conv.handoff_reason, "wants a human")
        self.assertEqual(conv.chatbot_mode, "live")
        self.assertTrue(conv.live_mode_until)
        mails = self.env["mail.mail"].search([("email_to", "=", "team@example.com")])
        self.assertEqual(len(mails), 1, "the team is emailed once")
        self.assertIn("I want a quote", mails.body_html, "the transcript travels with the alert")
        events = self.bot_calls()
        self.assertEqual([e["type"] for e in events], ["conversation.mode_changed", "message.created"])
        self.assertEqual(events[0]["mode"], "live")
        self.assertEqual(events[1]["message"]["role"], "system", "the customer's acknowledgement")
        ack = conv.mychat_message_ids.filtered(lambda m: m.author_kind == "system")
        self.assertEqual(ack.state, "sent")
        self.assertEqual(ack.external_id, f"c_42:{events[1]['message']['id']}")

        # an agent answers: sent through the bot, flag cleared; the bot echoing it creates no duplicate
        self.fake.requests.clear()
        message_id = conv.send_reply("Hello Dana, I can help")
        self.env["mychat.message"]._cron_send_queued()
        reply = self.env["mychat.message"].browse(message_id)
        self.assertEqual(reply.state, "sent")
        self.assertFalse(conv.needs_human)
        echoed = self.bot_calls()[0]["message"]
        self.post_event(message_created(echoed["id"], "agent", echoed["text"], echoed["ts"]), "evt_echo")
        self.process()
        self.assertEqual(conv.mychat_message_ids.filtered(lambda m: m.author_kind == "agent"), reply)

        # back to the bot: the bot is told to resume
        self.fake.requests.clear()
        conv.action_chatbot_resume_bot()
        self.assertEqual(conv.chatbot_mode, "bot")
        self.assertEqual(
            [(e["type"], e["mode"]) for e in self.bot_calls()], [("conversation.mode_changed", "bot")]
        )
