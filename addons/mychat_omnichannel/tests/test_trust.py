"""Trust (issue 17), tried the way a user or a provider would: XML-RPC as that user, the webhook route."""

import json
import logging
import time
import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tests.common import Transport

from ..tools.inbound import InboundContact, InboundMessage
from ..tools.log_redact import redact
from ..tools.signatures import meta_signature, twilio_signature
from . import whatsapp_payloads as wa
from .common import MychatHttpCase

MESSAGES_PATH = r"/106540352242922/messages$"


@tagged("post_install", "-at_install")
class TestTrust(MychatHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "trust_sales", groups="sales_team.group_sale_salesman")
        cls.colleague = new_test_user(cls.env, "trust_colleague", groups="sales_team.group_sale_salesman")
        cls.sales_manager = new_test_user(cls.env, "trust_manager", groups="sales_team.group_sale_manager")
        cls.sysadmin = new_test_user(
            cls.env, "trust_admin", groups="sales_team.group_sale_manager,base.group_system"
        )
        cls.employee = new_test_user(cls.env, "trust_employee", groups="base.group_user")
        cls.portal = new_test_user(cls.env, "trust_portal", groups="base.group_portal")

    def setUp(self):
        super().setUp()
        self.fake.route("POST", MESSAGES_PATH, (200, {"messages": [{"id": "wamid.OUT"}]}))
        self.conv = self.inbound("wamid.T1", "Hello").conversation_id

    def inbound(self, external_id, body, sender="972501234567", channel=None):
        return self.env["mychat.conversation"]._mychat_ingest(
            channel or self.channel,
            InboundMessage(
                external_id=external_id,
                contact=InboundContact(sender, name="Dana", phone=sender),
                date=fields.Datetime.now(),
                body=body,
            ),
        )

    def rpc(self, user, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over XML-RPC as ``user`` (password = login)."""
        proxy = xmlrpc.client.ServerProxy(
            self.xmlrpc_url + "object", transport=Transport(self), allow_none=True
        )
        result = proxy.execute_kw(self.env.cr.dbname, user.id, user.login, model, method, list(args), kwargs)
        self.env.invalidate_all()
        return result

    def assertRefused(self, user, model, method, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(user, model, method, *args, **kwargs)
        # 2: UserError / ValidationError, 4: AccessError; 1 would be a crash
        self.assertIn(caught.exception.faultCode, (2, 4), caught.exception.faultString)
        return caught.exception

    # ------------------------------------------------------------------
    # Attachments handed in
    # ------------------------------------------------------------------

    def test_colleague_quick_reply_and_private_file_refused(self):
        secret_file = (
            self.env["ir.attachment"]
            .with_user(self.sysadmin)
            .create({"name": "salaries.pdf", "raw": b"SECRET", "mimetype": "application/pdf"})
        )
        private_reply = (
            self.env["mail.canned.response"]
            .with_user(self.sysadmin)
            .create({"source": "pay", "substitution": "See file", "mychat_attachment_ids": [secret_file.id]})
        )
        before = self.env["ir.attachment"].search_count([("res_model", "=", "mychat.conversation")])
        self.assertRefused(
            self.salesman,
            "mychat.conversation",
            "mychat_composer_send",
            [self.conv.id],
            "hi",
            canned_response_ids=[private_reply.id],
        )
        self.assertRefused(
            self.salesman, "mychat.conversation", "send_reply", [self.conv.id], "hi", [secret_file.id]
        )
        self.assertRefused(
            self.salesman,
            "mychat.message",
            "create",
            {
                "conversation_id": self.conv.id,
                "direction": "outbound",
                "author_kind": "agent",
                "state": "queued",
                "attachment_ids": [(6, 0, [secret_file.id])],
            },
        )
        self.assertEqual(
            self.env["ir.attachment"].search_count([("res_model", "=", "mychat.conversation")]),
            before,
            "nothing was copied",
        )
        self.assertFalse(self.fake.calls("POST", MESSAGES_PATH), "nothing reached the provider")
        # the salesman's own quick reply with its own file still works
        own_file = (
            self.env["ir.attachment"]
            .with_user(self.salesman)
            .create({"name": "price.jpg", "raw": b"JPEG", "mimetype": "image/jpeg"})
        )
        own_reply = (
            self.env["mail.canned.response"]
            .with_user(self.salesman)
            .create({"source": "price", "substitution": "Prices", "mychat_attachment_ids": [own_file.id]})
        )
        message_id = self.rpc(
            self.salesman,
            "mychat.conversation",
            "mychat_composer_send",
            [self.conv.id],
            "Prices",
            canned_response_ids=[own_reply.id],
        )
        self.assertTrue(self.env["mychat.message"].browse(message_id).exists())

    def test_provider_links_expire(self):
        photo = self.env["ir.attachment"].create(
            {"name": "roof.jpg", "raw": b"JPEG", "mimetype": "image/jpeg"}
        )
        url = self.channel._mychat_public_attachment_url(photo)
        self.assertNotIn("access_token", url)
        self.assertEqual(self.url_open(url).content, b"JPEG")
        self.env["ir.config_parameter"].set_param("mychat.media_link_minutes", "1")
        url = self.channel._mychat_public_attachment_url(photo)
        path = url.split("/mychat/media/", 1)[1]
        attachment_id, expires, signature = path.split("/")
        expired = f"/mychat/media/{attachment_id}/{int(time.time()) - 5}/{signature}"
        self.assertEqual(self.url_open(expired).status_code, 403, "a changed expiry breaks the signature")
        self.assertEqual(
            self.url_open(f"/mychat/media/{attachment_id}/{expires}/x{signature}").status_code, 403
        )
        self.assertFalse(photo.access_token, "no permanent token was generated")

    # ------------------------------------------------------------------
    # Credentials
    # ------------------------------------------------------------------

    def test_credentials_for_system_admins_only(self):
        channel = self.channel
        self.assertRefused(
            self.sales_manager, "mychat.channel", "write", [channel.id], {"api_base_url": "https://evil.test"}
        )
        self.assertRefused(
            self.sales_manager, "mychat.channel", "write", [channel.id], {"public_url": "https://evil.test/x"}
        )
        token = channel.webhook_token
        self.assertRefused(self.sales_manager, "mychat.channel", "action_regenerate_token", [channel.id])
        self.assertEqual(channel.webhook_token, token)
        self.assertRefused(
            self.sales_manager,
            "mychat.channel",
            "create",
            {"name": "Evil", "channel_type": "whatsapp", "api_base_url": "https://evil.test"},
        )
        # the manager still manages what is no credential
        self.rpc(self.sales_manager, "mychat.channel", "write", [channel.id], {"name": "Renamed"})
        self.assertEqual(channel.name, "Renamed")
        # a system administrator does it, and the action answers over XML-RPC
        self.assertTrue(self.rpc(self.sysadmin, "mychat.channel", "action_regenerate_token", [channel.id]))
        channel.invalidate_recordset()
        self.assertNotEqual(channel.webhook_token, token)

    def test_telegram_set_webhook_needs_system_admin(self):
        bot = self.env["mychat.channel"].create(
            {
                "name": "Bot",
                "channel_type": "telegram",
                "access_token": "123:ABC",
                "api_base_url": self.fake.url,
                "secret": "old-secret",
            }
        )
        self.fake.route("POST", r"/bot123:ABC/getMe$", (200, {"ok": True, "result": {"id": 123}}))
        self.fake.route("POST", r"/bot123:ABC/setWebhook$", (200, {"ok": True, "result": True}))
        for user in (self.salesman, self.sales_manager):
            self.assertRefused(user, "mychat.channel", "action_telegram_set_webhook", [bot.id])
        self.assertFalse(self.fake.calls(), "the bot token went nowhere")
        self.assertEqual(bot.secret, "old-secret")
        self.rpc(self.sysadmin, "mychat.channel", "action_telegram_set_webhook", [bot.id])
        bot.invalidate_recordset()
        self.assertNotEqual(bot.secret, "old-secret")

    # ------------------------------------------------------------------
    # History
    # ------------------------------------------------------------------

    def test_wire_fields_never_written_by_users(self):
        message = self.env["mychat.message"].search([("conversation_id", "=", self.conv.id)])
        for vals in (
            {"body": "I never said that"},
            {"direction": "outbound"},
            {"external_id": "wamid.PREEMPT"},
            {"author_kind": "agent"},
            {"date": "2020-01-01 00:00:00"},
        ):
            self.assertRefused(self.sales_manager, "mychat.message", "write", [message.id], vals)
        self.assertEqual(
            (message.body, message.direction, message.external_id), ("Hello", "inbound", "wamid.T1")
        )
        reply = self.env["mychat.message"].browse(
            self.rpc(self.salesman, "mychat.conversation", "send_reply", [self.conv.id], "Hi!")
        )
        self.env["mychat.message"]._cron_send_queued()
        reply.invalidate_recordset()
        self.assertEqual(reply.state, "sent")
        self.assertRefused(self.salesman, "mychat.message", "write", [reply.id], {"state": "queued"})
        self.assertRefused(
            self.salesman,
            "mychat.message",
            "create",
            {
                "conversation_id": self.conv.id,
                "direction": "inbound",
                "body": "fake",
                "author_kind": "customer",
            },
        )
        # what the product lets a user do still works
        self.rpc(self.salesman, "mychat.message", "action_withdraw", [reply.id])
        reply.invalidate_recordset()
        self.assertTrue(reply.withdrawn)

    def test_event_payload_cannot_be_rewritten_before_replay(self):
        body = json.dumps(wa.notification([wa.text("wamid.R1", "real text")])).encode()
        self.assertEqual(self.post_signed(body).status_code, 200)
        event = self.env["mychat.event"].search([("channel_id", "=", self.channel.id)], limit=1)
        forged = json.dumps(wa.notification([wa.text("wamid.R2", "forged text")]))
        self.assertRefused(self.sales_manager, "mychat.event", "write", [event.id], {"payload": forged})
        self.assertRefused(
            self.sales_manager,
            "mychat.event",
            "create",
            {"channel_id": self.channel.id, "dedupe_key": "x", "payload": forged},
        )
        self.process()
        event.write({"state": "failed"})  # as if it had failed; the manager replays it
        self.rpc(self.sales_manager, "mychat.event", "action_replay", [event.id])
        bodies = self.env["mychat.message"].search([("channel_id", "=", self.channel.id)]).mapped("body")
        self.assertIn("real text", bodies)
        self.assertNotIn("forged text", bodies)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    def test_team_private_inbox(self):
        team = self.env["crm.team"].create(
            {"name": "Private team", "mychat_private_inbox": True, "member_ids": [self.colleague.id]}
        )
        other_conv = self.inbound("wamid.P1", "private", sender="972509999999").conversation_id
        other_conv.team_id = team
        open_conv = self.conv  # no team: every MyChat user reads it
        domain = [("id", "in", [other_conv.id, open_conv.id])]
        seen = self.rpc(self.salesman, "mychat.conversation", "search", domain)
        self.assertEqual(seen, [open_conv.id], "not a member, not assigned, not invited")
        self.assertEqual(
            self.rpc(
                self.salesman, "mychat.message", "search_count", [("conversation_id", "=", other_conv.id)]
            ),
            0,
        )
        self.assertEqual(
            sorted(self.rpc(self.colleague, "mychat.conversation", "search", domain)),
            sorted([other_conv.id, open_conv.id]),
            "a member reads the team's conversations",
        )
        self.assertEqual(
            sorted(self.rpc(self.sales_manager, "mychat.conversation", "search", domain)),
            sorted([other_conv.id, open_conv.id]),
            "managers read all",
        )
        self.rpc(self.colleague, "mychat.conversation", "mychat_invite", [other_conv.id], self.salesman.id)
        self.assertIn(other_conv.id, self.rpc(self.salesman, "mychat.conversation", "search", domain))
        team.mychat_private_inbox = False
        self.assertIn(other_conv.id, self.rpc(self.colleague, "mychat.conversation", "search", domain))

    def test_company_rules_on_conversations_and_data(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        channel_b = self.env["mychat.channel"].create(
            {"name": "B", "channel_type": "whatsapp", "company_id": other_company.id}
        )
        conv_b = self.inbound("wamid.B1", "hi B", channel=channel_b).conversation_id
        data = self.env["mychat.conversation.data"].create(
            {"conversation_id": conv_b.id, "key": "k", "value": "v"}
        )
        rule = self.env["mychat.lead.rule"].create({"name": "B rule", "company_id": other_company.id})
        for model, record in (
            ("mychat.conversation", conv_b),
            ("mychat.conversation.data", data),
            ("mychat.lead.rule", rule),
        ):
            self.assertFalse(self.rpc(self.salesman, model, "search", [("id", "=", record.id)]), model)

    def test_partner_read_without_mychat_rights(self):
        partner = self.env["res.partner"].create({"name": "Dana", "phone": "+972501234567"})
        self.conv.contact_id.partner_id = partner
        for model, record in (("res.partner", partner), ("crm.lead", None)):
            names = [
                name
                for name in self.rpc(self.employee, model, "fields_get", attributes=["type"])
                if name.startswith("mychat_")
            ]
            self.assertNotIn("mychat_contact_ids", names)
            self.assertNotIn("mychat_conversation_ids", names)
            if record:
                (values,) = self.rpc(self.employee, model, "read", [record.id], names + ["name"])
                self.assertEqual(values["name"], "Dana")
        # the partner form opens for the employee
        self.rpc(self.employee, "res.partner", "get_views", [[False, "form"]])

    def test_customer_panel_respects_crm_rights(self):
        partner = self.env["res.partner"].create({"name": "Dana"})
        self.conv.contact_id.partner_id = partner
        lead = self.env["crm.lead"].create(
            {"name": "Colleague's deal", "partner_id": partner.id, "user_id": self.colleague.id}
        )
        self.conv.lead_id = lead
        data = self.rpc(self.salesman, "mychat.conversation", "mychat_get_transcript", [self.conv.id])
        self.assertEqual(data["customer"]["leads"], [], "the salesman may not read his colleague's lead")
        data = self.rpc(self.colleague, "mychat.conversation", "mychat_get_transcript", [self.conv.id])
        self.assertEqual([lead_data["id"] for lead_data in data["customer"]["leads"]], [lead.id])

    def test_transfer_and_invite_refuse_portal_users(self):
        for method in ("mychat_transfer", "mychat_invite"):
            self.assertRefused(self.salesman, "mychat.conversation", method, [self.conv.id], self.portal.id)
        self.assertRefused(
            self.salesman, "mychat.conversation", "write", [self.conv.id], {"user_id": self.portal.id}
        )
        self.assertFalse(self.conv.user_id)

    # ------------------------------------------------------------------
    # Input
    # ------------------------------------------------------------------

    def events(self):
        return self.env["mychat.event"].search([("channel_id", "=", self.channel.id)])

    def test_malformed_input_never_5xx(self):
        body = json.dumps(wa.notification([wa.text("wamid.M1", "x")])).encode()
        response = self.url_open(
            self.webhook_url(),
            data=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=\xe9\xe9"},
        )
        self.assertEqual(response.status_code, 403)
        # NUL byte in an authentic body: stored, failed, 200
        nul = b'{"object": "whatsapp_business_account", "x": "a\x00b"}'
        self.assertEqual(self.post_signed(nul).status_code, 200)
        deep = b"[" * 10000 + b"]" * 10000
        self.assertEqual(self.post_signed(deep).status_code, 200)
        failed = self.events().filtered(lambda e: e.state == "failed")
        self.assertEqual(len(failed), 2, failed.mapped("failure_reason"))
        self.assertTrue(any("NUL" in r for r in failed.mapped("failure_reason")))
        self.assertTrue(any("deep" in r for r in failed.mapped("failure_reason")))
        self.assertFalse(self.events().filtered(lambda e: e.state == "pending"))

    def test_escaped_nul_in_text_is_not_lost(self):
        body = json.dumps(wa.notification([wa.text("wamid.N0", "a\u0000b")])).encode()
        self.assertEqual(self.post_signed(body).status_code, 200)
        self.process()
        self.assertEqual(self.events().state, "done")
        message = self.env["mychat.message"].search([("external_id", "=", "wamid.N0")])
        self.assertEqual(message.body, "ab")

    def test_bad_host_port_on_sms(self):
        sms = self.env["mychat.channel"].create(
            {"name": "SMS", "channel_type": "sms", "secret": "twilio-token", "sms_account_sid": "AC1"}
        )
        form = {"MessageSid": "SM1", "From": "+14155551234", "To": "+14155550000", "Body": "hi"}
        signature = twilio_signature("twilio-token", "http://example.com:bad/x", form)
        response = self.url_open(
            f"/mychat/webhook/{sms.webhook_token}",
            data=form,
            headers={"Host": "example.com:notaport", "X-Twilio-Signature": signature},
        )
        self.assertLess(response.status_code, 500)
        self.assertGreaterEqual(response.status_code, 400)

    def test_chunked_body_capped(self):
        self.env["ir.config_parameter"].set_param("mychat.webhook_max_bytes", "2000")
        body = json.dumps(wa.notification([wa.text("wamid.C1", "x" * 5000)])).encode()

        def chunks():
            for start in range(0, len(body), 500):
                yield body[start : start + 500]

        response = self.url_open(
            self.webhook_url(),
            data=chunks(),
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": meta_signature("test_app_secret", body),
            },
        )
        self.assertEqual(response.status_code, 413)
        self.assertFalse(self.events())
        small = json.dumps(wa.notification([wa.text("wamid.C2", "ok")])).encode()
        response = self.url_open(
            self.webhook_url(),
            data=iter([small[:100], small[100:]]),
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": meta_signature("test_app_secret", small),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.events().payload.encode(), small)

    # ------------------------------------------------------------------
    # Queues
    # ------------------------------------------------------------------

    def test_poison_event_backs_off_and_keeps_sender_order(self):
        Event = self.env["mychat.event"]
        poison = self.post_and_get(wa.text("wamid.Q1", "poison", wa_id="972500000001"), wa_id="972500000001")
        later_same = self.post_and_get(
            wa.text("wamid.Q2", "after", wa_id="972500000001"), wa_id="972500000001"
        )
        other = self.post_and_get(wa.text("wamid.Q3", "other", wa_id="972500000002"), wa_id="972500000002")
        # the worker dies while processing the poison event: its claim (an attempt) is all that remains
        self.assertEqual(Event._claim_next(), poison)
        self.assertEqual((poison.state, poison.attempts), ("pending", 1))
        done = Event._mychat_process_pending()
        self.assertEqual(done, other, "others pass; the same sender's next message waits its turn")
        self.assertEqual(later_same.state, "pending")
        for _attempt in range(4):
            with self.freeze(poison.next_attempt_date + timedelta(seconds=1)):
                self.assertEqual(Event._claim_next(), poison, "retried after its backoff")
        with self.freeze(poison.next_attempt_date + timedelta(seconds=1)):
            Event._mychat_process_pending()
        self.assertEqual(poison.state, "error", "given up after the last attempt")
        self.assertEqual(poison.attempts, 5)
        self.assertEqual(later_same.state, "done", "then the sender's next message is processed")

    def freeze(self, when):
        from freezegun import freeze_time

        return freeze_time(when)

    def post_and_get(self, message, wa_id):
        body = json.dumps(wa.notification([message], wa_id=wa_id)).encode()
        self.assertEqual(self.post_signed(body).status_code, 200)
        return self.env["mychat.event"].search(
            [("channel_id", "=", self.channel.id)], order="id desc", limit=1
        )

    def test_pending_events_wake_the_cron_at_start(self):
        self.post_and_get(wa.text("wamid.S1", "left pending"), wa_id=wa.DANA)
        cron = self.env.ref("mychat_omnichannel.ir_cron_process_events")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        self.env["mychat.event"]._register_hook()
        trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertTrue(trigger)
        self.assertLessEqual(min(trigger.mapped("call_at")), fields.Datetime.now())

    # ------------------------------------------------------------------
    # Privacy
    # ------------------------------------------------------------------

    def test_retention_blanks_processed_payloads(self):
        old = self.post_and_get(wa.text("wamid.O1", "old"), wa_id=wa.DANA)
        recent = self.post_and_get(wa.text("wamid.O2", "recent", wa_id="972500000009"), wa_id="972500000009")
        self.process()
        old.processed_date = fields.Datetime.now() - timedelta(days=31)
        self.assertEqual(self.env["ir.config_parameter"].get_param("mychat.event_retention_days"), "30")
        self.env["mychat.event"]._cron_purge_payloads()
        self.assertFalse(old.payload)
        self.assertTrue(old.payload_erased_date)
        self.assertTrue(recent.payload)
        old.write({"state": "failed"})
        old.action_replay()
        self.assertEqual(old.state, "failed")
        self.assertIn("erased", old.failure_reason)

    def test_erasure_by_phone_as_manager(self):
        sender = "972501112233"
        body = json.dumps(
            wa.notification([wa.text("wamid.E1", "my address is secret", wa_id=sender)], wa_id=sender)
        ).encode()
        self.post_signed(body)
        self.process()
        conv = self.env["mychat.message"].search([("external_id", "=", "wamid.E1")]).conversation_id
        photo = conv._mychat_attach(b"JPEG", "image/jpeg", "id.jpg")
        wizard_vals = {"mode": "phone", "phone": "+972 50-111-2233"}
        self.assertRefused(self.salesman, "mychat.erasure", "create", wizard_vals)
        wizard_id = self.rpc(self.sales_manager, "mychat.erasure", "create", wizard_vals)
        action = self.rpc(self.sales_manager, "mychat.erasure", "action_erase", [wizard_id])
        log = self.env["mychat.erasure.log"].browse(action["res_id"])
        self.assertFalse(conv.exists(), log.summary)
        self.assertFalse(photo.exists())
        self.assertFalse(self.env["mychat.contact"].search([("external_id", "=", sender)]))
        self.assertFalse(self.env["mychat.message"].search([("external_id", "=", "wamid.E1")]))
        event = self.env["mychat.event"].search(
            [("channel_id", "=", self.channel.id)], order="id desc", limit=1
        )
        self.assertFalse(event.payload)
        log = self.env["mychat.erasure.log"].browse(action["res_id"])
        self.assertEqual(
            (
                log.contact_count,
                log.conversation_count,
                log.message_count,
                log.attachment_count,
                log.event_count,
            ),
            (1, 1, 1, 1, 1),
        )
        self.assertEqual(log.user_id, self.sales_manager)
        self.assertNotIn("2233", log.criteria + log.summary, "the audit line names no phone")
        self.assertTrue(self.conv.exists(), "other customers are untouched")

    def test_verify_token_not_in_access_log(self):
        lines = []

        class Collect(logging.Handler):
            def emit(self, record):
                lines.append(record.getMessage())

        logger = logging.getLogger("werkzeug")
        handler, level, disabled = Collect(), logger.level, logger.disabled
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.disabled = False
        try:
            url = self.webhook_url() + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42"
            self.assertEqual(self.url_open(url).text, "42")
            deadline = time.time() + 3
            while time.time() < deadline and not any("hub.challenge" in line for line in lines):
                time.sleep(0.05)
            # the access log line as the server writes it
            logger.info('"%s" %s %s', "GET /mychat/webhook/x?hub.verify_token=verify-me HTTP/1.1", 200, "-")
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.disabled = disabled
        self.assertTrue(any("hub.verify_token=***" in line for line in lines), lines)
        self.assertFalse([line for line in lines if "verify-me" in line], lines)

    def test_redact_masks_every_credential_form(self):
        text = (
            "HTTPSConnectionPool(host='api.telegram.org'): "
            "/bot123456:AAH-secret_x/sendMessage?access_token=abc "
            "headers Authorization: Bearer EAAG.tok-en Basic QUM6c2VjcmV0"
        )
        masked = redact(text)
        for secret in ("AAH-secret_x", "access_token=abc", "EAAG.tok-en", "QUM6c2VjcmV0"):
            self.assertNotIn(secret, masked)
        self.assertIn("api.telegram.org", masked, "where it went stays readable")
        self.assertIn("/bot***/sendMessage", masked)
