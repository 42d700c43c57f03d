import time
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..tools.whatsapp import PayloadError
from . import whatsapp_payloads as wa
from .common import MychatHttpCase

RETRY_MINUTES = (1, 5, 15, 60)
EVENT_MODULE = "odoo.addons.mychat_omnichannel.models.mychat_event"


@tagged("post_install", "-at_install")
class TestEventProcessing(MychatHttpCase):
    """The asynchronous step: the event cron, retries with backoff, failures kept and replayed, order."""

    def post(self, *messages):
        self.assertEqual(self.post_signed(wa.notification(messages)).status_code, 200)
        return self.env["mychat.event"].search(
            [("channel_id", "=", self.channel.id)], order="id desc", limit=1
        )

    def messages(self):
        return self.env["mychat.message"].search([("channel_id", "=", self.channel.id)])

    def run_event_cron(self):
        self.env.ref("mychat_omnichannel.ir_cron_process_events").method_direct_trigger()
        self.env.invalidate_all()

    def fail_inbound_hook(self, error=None, only_body=None):
        """Make the inbound hook (lead rules, routing) raise, after the message was created."""
        Conversation = type(self.env["mychat.conversation"])
        original = Conversation._mychat_on_inbound

        def on_inbound(conv, message):
            if only_body is None or message.body == only_body:
                raise error or RuntimeError("lead rule crashed")
            return original(conv, message)

        return patch.object(Conversation, "_mychat_on_inbound", on_inbound)

    def test_cron_processes_stored_events(self):
        cron = self.env.ref("mychat_omnichannel.ir_cron_process_events")

        def due_triggers():
            now = fields.Datetime.now()
            return self.env["ir.cron.trigger"].search_count(
                [("cron_id", "=", cron.id), ("call_at", "<=", now)]
            )

        before = due_triggers()
        events = self.post(wa.text("wamid.C1", "one")) | self.post(
            wa.text("wamid.C2", "two", wa_id="972527654321")
        )
        self.assertEqual(due_triggers(), max(before, 1), "a burst wakes the cron up once")
        self.assertEqual(events.mapped("state"), ["pending", "pending"])
        self.run_event_cron()
        self.assertEqual(events.mapped("state"), ["done", "done"])
        self.assertEqual(events.mapped("message_count"), [1, 1])
        self.assertTrue(all(events.mapped("processed_date")))
        self.assertEqual(sorted(self.messages().mapped("body")), ["one", "two"])

    def test_cron_out_of_time_runs_again(self):
        """A run that ends for lack of time asks for another one at once: the rest never waits for the
        cron's interval."""
        events = self.post(wa.text("wamid.T1", "one")) | self.post(wa.text("wamid.T2", "two"))
        cron = self.env.ref("mychat_omnichannel.ir_cron_process_events")
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()  # consumed by the run
        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", lambda self, processed=0, **kw: 0),
            patch(f"{EVENT_MODULE}.CLAIM_BATCH", 1),
        ):
            self.env["mychat.event"]._cron_process()
        self.assertEqual(sorted(events.mapped("state")), ["done", "pending"], "one batch, then out of time")
        trigger = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertEqual(len(trigger), 1)
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())
        self.run_event_cron()
        self.assertEqual(events.mapped("state"), ["done", "done"])

    def test_processing_error_retried_with_backoff_then_final(self):
        event = self.post(wa.text("wamid.E1", "hello"))
        with self.fail_inbound_hook():
            start = fields.Datetime.now()
            self.process()
            self.assertEqual(event.state, "error")
            self.assertEqual(event.attempts, 1)
            self.assertIn("lead rule crashed", event.failure_reason)
            self.assertAlmostEqual(
                event.next_attempt_date, start + timedelta(minutes=1), delta=timedelta(seconds=5)
            )
            self.assertFalse(self.messages(), "the partial work of a failed event is rolled back")
            self.assertFalse(self.env["mychat.contact"].search([("channel_id", "=", self.channel.id)]))
            self.assertFalse(self.process(), "not retried before its time")
            for attempt, minutes in enumerate(RETRY_MINUTES[1:], start=2):
                due = event.next_attempt_date
                with freeze_time(due + timedelta(seconds=1)):
                    self.assertEqual(self.process(), event)
                self.assertEqual(event.attempts, attempt)
                self.assertEqual(event.next_attempt_date, due + timedelta(seconds=1, minutes=minutes))
            with freeze_time(event.next_attempt_date + timedelta(seconds=1)):
                self.process()
            self.assertEqual((event.state, event.attempts), ("error", 5))
            self.assertFalse(event.next_attempt_date, "no more automatic attempts")
            with freeze_time(fields.Datetime.now() + timedelta(days=30)):
                self.assertFalse(self.process())
            self.assertIn("lead rule crashed", event.failure_reason, "the reason is kept")
        # the cause is fixed: a manager replays it
        event.action_replay()
        self.assertEqual(event.state, "done")
        self.assertFalse(event.failure_reason)
        self.assertEqual(self.messages().mapped("body"), ["hello"])

    def test_error_recovers_on_next_cron_run(self):
        event = self.post(wa.text("wamid.E2", "retry me"))
        with self.fail_inbound_hook():
            self.run_event_cron()
        self.assertEqual((event.state, event.attempts), ("error", 1))
        with freeze_time(event.next_attempt_date + timedelta(seconds=1)):
            self.run_event_cron()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.messages().mapped("body"), ["retry me"])

    def test_replay_failed_event_as_manager(self):
        Channel = type(self.env["mychat.channel"])
        with patch.object(Channel, "_whatsapp_parse", side_effect=PayloadError("format v99 unknown")):
            event = self.post(wa.text("wamid.F1", "parsed later"))
            self.process()
        self.assertEqual(event.state, "failed", "an unreadable payload is not retried by itself")
        self.assertIn("format v99 unknown", event.failure_reason)
        self.assertEqual(self.channel.event_failed_count, 1)

        manager = new_test_user(self.env, "ev_manager", groups="mychat_omnichannel.group_mychat_manager")
        user = new_test_user(self.env, "ev_user", groups="mychat_omnichannel.group_mychat_user")
        failed = self.env["mychat.event"].with_user(manager).search([("state", "in", ("failed", "error"))])
        self.assertIn(event, failed, "a manager sees failed events")
        with self.assertRaises(AccessError):
            self.env["mychat.event"].with_user(user).search([])

        failed.filtered(lambda e: e == event).action_replay()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.messages().mapped("body"), ["parsed later"])
        event.action_replay()
        self.assertEqual(len(self.messages()), 1, "replaying a done event does nothing")

    def test_batch_claims_senders_not_events(self):
        """A worker's batch holds each sender's due events together, for a limited number of senders; a
        second claim (another worker) skips the senders the first holds and takes the others."""
        a1 = self.post(wa.text("wamid.B1", "a one"))
        a2 = self.post(wa.text("wamid.B2", "a two"))
        b1 = self.post(wa.text("wamid.B3", "b one", wa_id="972527654321"))
        b2 = self.post(wa.text("wamid.B4", "b two", wa_id="972527654321"))
        c1 = self.post(wa.text("wamid.B5", "c one", wa_id="972521111111"))
        Event = self.env["mychat.event"]
        claimed = Event._mychat_claim(50, senders=2)
        self.assertEqual(claimed, a1 | a2 | b1 | b2, "two senders, each with its run of events")
        self.assertEqual(claimed.mapped("attempts"), [1, 1, 1, 1])
        self.assertEqual(Event._mychat_claim(50, senders=2), c1, "the other worker takes the other sender")
        self.assertFalse(Event._mychat_claim(50), "leased and still pending: nothing else is due")
        self.assertEqual(Event._mychat_claim(3, senders=1).ids, [], "nothing due")

    def test_batch_claim_stops_at_an_event_waiting_for_retry(self):
        a1 = self.post(wa.text("wamid.W1", "a one"))
        a2 = self.post(wa.text("wamid.W2", "a two"))
        a3 = self.post(wa.text("wamid.W3", "a three"))
        a2.write(
            {
                "state": "error",
                "attempts": 1,
                "next_attempt_date": fields.Datetime.now() + timedelta(minutes=1),
            }
        )
        self.assertEqual(self.env["mychat.event"]._mychat_claim(50), a1, "a3 waits behind a2's retry")
        self.assertEqual((a3.attempts, a3.next_attempt_date), (0, False))

    def test_failed_event_gives_back_its_senders_later_events(self):
        """In one cron batch: the sender's second event fails, its third is given back unprocessed (not an
        attempt) and runs after the retry; another sender's event runs at once."""
        now = int(time.time())
        events = self.env["mychat.event"]
        for index, body in enumerate(["first", "second", "third"]):
            events |= self.post(wa.text(f"wamid.G{index}", body, ts=now - 60 + index))
        other = self.post(wa.text("wamid.G9", "other", wa_id="972527654321"))
        with self.fail_inbound_hook(only_body="second"):
            self.run_event_cron()
        first, second, third = events.sorted("id")
        self.assertEqual(first.state, "done")
        self.assertEqual((second.state, second.attempts), ("error", 1))
        self.assertEqual((third.state, third.attempts, third.next_attempt_date), ("pending", 0, False))
        self.assertEqual(other.state, "done", "other senders are not held back")
        conv = self.messages().filtered(lambda m: m.body == "first").conversation_id
        self.assertEqual(conv.mychat_message_ids.mapped("body"), ["first"])
        with freeze_time(second.next_attempt_date + timedelta(seconds=1)):
            self.run_event_cron()
        self.assertEqual(events.mapped("state"), ["done"] * 3)
        self.assertEqual(third.attempts, 1)
        self.assertEqual(conv.mychat_message_ids.mapped("body"), ["first", "second", "third"])

    def test_webhook_token_resolved_from_cache_follows_changes(self):
        old_url = self.webhook_url()
        self.assertEqual(self.post_signed(wa.notification([wa.text("wamid.K1", "hi")])).status_code, 200)
        self.channel.action_regenerate_token()
        body = wa.notification([wa.text("wamid.K2", "again")])
        self.assertEqual(self.url_open(old_url, data=b"{}").status_code, 404)
        self.assertEqual(self.post_signed(body).status_code, 200, "the new token answers at once")
        self.channel.active = False
        self.assertEqual(self.post_signed(wa.notification([wa.text("wamid.K3", "x")])).status_code, 404)

    def test_order_kept_per_conversation(self):
        now = int(time.time())
        bodies = ["first", "second", "third", "fourth"]
        events = self.env["mychat.event"]
        for index, body in enumerate(bodies):
            events |= self.post(wa.text(f"wamid.O{index}", body, ts=now - 60 + index))
        processed = self.process()
        self.assertEqual(processed.ids, sorted(events.ids), "events are processed in arrival order")
        conv = self.messages().conversation_id
        self.assertEqual(len(conv), 1)
        self.assertEqual(conv.mychat_message_ids.mapped("body"), bodies)
        self.assertEqual(conv.mychat_message_ids.ids, sorted(conv.mychat_message_ids.ids))

    def test_order_kept_when_one_event_is_retried(self):
        """A retried event lands at its place in the conversation and does not move the window back."""
        now = int(time.time())
        for index, body in enumerate(["first", "second", "third"]):
            self.post(wa.text(f"wamid.R{index}", body, ts=now - 60 + index))
        with self.fail_inbound_hook(only_body="second"):
            self.process()
        conv = self.messages().conversation_id
        self.assertEqual(
            conv.mychat_message_ids.mapped("body"), ["first"], "the next message of the sender waits"
        )
        with freeze_time(fields.Datetime.now() + timedelta(minutes=2)):
            self.process()
        self.assertEqual(
            conv.mychat_message_ids.mapped("body"), ["first", "second", "third"], "ordered by provider time"
        )
        third = conv.mychat_message_ids[-1]
        self.assertEqual(conv.last_inbound_date, third.date)
        self.assertEqual(conv.last_message_date, third.date)
