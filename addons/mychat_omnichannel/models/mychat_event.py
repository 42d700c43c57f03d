import hashlib
import json
import logging
from datetime import timedelta
from urllib.parse import parse_qsl

from psycopg2.errors import SerializationFailure

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..const import CLAIM_BATCH, CLAIM_SENDERS, EVENT_RETRY_DELAYS, MAX_CLAIM_CONFLICTS
from ..tools.inbound import InboundEdit, InboundMessage, InboundStatus
from ..tools.sender_key import sender_key
from ..tools.sender_runs import due_runs

_logger = logging.getLogger(__name__)


class MychatEvent(models.Model):
    _name = "mychat.event"
    _description = "MyChat Inbound Event"
    _order = "id desc"

    channel_id = fields.Many2one(
        "mychat.channel", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    dedupe_key = fields.Char(
        required=True, readonly=True, help="Provider delivery id, else a hash of the raw body."
    )
    payload = fields.Text(readonly=True, help="The raw body exactly as received.")
    content_type = fields.Char(readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed"), ("error", "Error")],
        default="pending",
        required=True,
        index=True,
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    failure_reason = fields.Text(readonly=True)
    next_attempt_date = fields.Datetime(readonly=True)
    processed_date = fields.Datetime(readonly=True)
    message_count = fields.Integer(readonly=True, help="Messages created or updated by this event.")
    sender_key = fields.Char(
        readonly=True, help="Who sent it, as far as the raw body tells: one sender's events run in order."
    )

    _channel_dedupe_uniq = models.Constraint(
        "UNIQUE(channel_id, dedupe_key)", "This delivery is already stored."
    )
    _pending_idx = models.Index("(id) WHERE state IN ('pending', 'error')")
    _sender_idx = models.Index("(channel_id, sender_key, id) WHERE state IN ('pending', 'error')")

    @api.model
    def _mychat_store(
        self, channel, dedupe_key, payload, content_type="application/json", state="pending", reason=None
    ):
        """Insert one delivery; a duplicate (even a concurrent one) is absorbed by the unique key.
        Return the new event id, or None for a duplicate."""
        # PostgreSQL text cannot hold NUL: a key taken from a (mangled but signed) body must not lose it
        if "\x00" in (dedupe_key or ""):
            dedupe_key = hashlib.sha256(dedupe_key.encode("utf-8", "replace")).hexdigest()
        key = sender_key(payload, content_type) if state == "pending" else None
        key = key.replace("\x00", "\ufffd") if key else key
        query = SQL(
            """INSERT INTO mychat_event (channel_id, company_id, dedupe_key, payload, content_type, state,
                   failure_reason, sender_key, attempts, create_uid, write_uid, create_date, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s,
                       now() at time zone 'UTC', now() at time zone 'UTC')
               ON CONFLICT (channel_id, dedupe_key) DO NOTHING
               RETURNING id""",
            channel.id,
            channel.company_id.id,
            dedupe_key,
            payload,
            content_type,
            state,
            reason,
            key,
            self.env.uid,
            self.env.uid,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                row = self.env.cr.fetchone()
        except SerializationFailure:
            # REPEATABLE READ: a concurrent transaction committed the same key after this one's snapshot
            # was taken; PostgreSQL refuses DO NOTHING on a row it cannot see. Fresh eyes tell a duplicate.
            if not self._mychat_stored_elsewhere(channel, dedupe_key):
                raise
            row = None
        if row and state == "pending":
            self._mychat_wake_workers()
        return row[0] if row else None

    def _mychat_wake_workers(self):
        """Make the event cron due now, once: while a trigger of it is still waiting, a burst of webhooks
        adds no other (the cron consumes its due triggers when it starts, and then drains every stored
        event). An event committed just as a run ends waits for the next webhook or the cron's interval."""
        cron = self.env.ref("mychat_omnichannel.ir_cron_process_events").sudo()
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s LIMIT 1",
                cron.id,
                fields.Datetime.now(),
            )
        )
        if not self.env.cr.fetchone():
            cron._trigger()

    def _mychat_stored_elsewhere(self, channel, dedupe_key):
        """Whether the delivery is committed, seen from a new transaction."""
        with self.env.registry.cursor(readonly=True) as cr:
            cr.execute(
                SQL(
                    "SELECT 1 FROM mychat_event WHERE channel_id = %s AND dedupe_key = %s",
                    channel.id,
                    dedupe_key,
                )
            )
            return bool(cr.fetchone())

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------

    def _claim_next(self):
        """Lock the oldest due event; None when idle (see :meth:`_mychat_claim`)."""
        return self._mychat_claim(1) or None

    def _mychat_claim(self, limit, senders=CLAIM_SENDERS):
        """Lock up to ``limit`` due events of at most ``senders`` senders, oldest first (id order keeps
        each conversation in order).

        An event waits while an earlier one of the same sender is unfinished (pending, or ``error`` with a
        retry to come) and not in this batch, so one sender's messages keep their order while the others
        pass, with any number of workers: the batch takes the oldest due event of each sender no one holds
        (``SKIP LOCKED`` leaves other workers' claims alone) and then that sender's due events after it,
        up to the first that is not due. Capping the senders leaves the others to other workers. Claiming
        counts an attempt and leases the event until its next retry time: if processing kills the worker,
        the event is retried with backoff like one that raised, and ends ``error`` after the last
        attempt."""
        self.flush_model(
            ["state", "next_attempt_date", "attempts"]
        )  # the previous events' outcome, else they are claimed again
        now = fields.Datetime.now()
        # an event is due: fresh, its lease run out, or its retry time come
        due = SQL(
            """((e.state = 'pending' AND (e.next_attempt_date IS NULL OR e.next_attempt_date <= %(now)s))
                OR (e.state = 'error' AND e.next_attempt_date <= %(now)s))""",
            now=now,
        )
        self.env.cr.execute(
            SQL(
                """SELECT e.id, e.attempts, e.channel_id, e.sender_key FROM mychat_event e
                    WHERE %(due)s
                      AND NOT (e.sender_key IS NOT NULL AND EXISTS (
                          SELECT 1 FROM mychat_event p
                           WHERE p.channel_id = e.channel_id AND p.sender_key = e.sender_key
                             AND p.id < e.id
                             AND p.state IN ('pending', 'error')
                             AND (p.state = 'pending' OR p.next_attempt_date IS NOT NULL)))
                    ORDER BY e.id LIMIT %(limit)s FOR UPDATE OF e SKIP LOCKED""",
                due=due,
                limit=min(limit, senders),
            )
        )
        heads = self.env.cr.fetchall()
        rows = [(event_id, attempts) for event_id, attempts, _channel, _key in heads]
        keyed = tuple((channel_id, key) for _id, _attempts, channel_id, key in heads if key)
        if keyed and limit > len(heads):
            # the held senders' later events: no other worker can claim them while their first is held
            self.env.cr.execute(
                SQL(
                    """SELECT e.id, e.attempts, e.channel_id, e.sender_key, COALESCE(%(due)s, FALSE)
                         FROM mychat_event e
                        WHERE e.state IN ('pending', 'error') AND (e.channel_id, e.sender_key) IN %(senders)s
                          AND (e.state = 'pending' OR e.next_attempt_date IS NOT NULL)
                          AND e.id != ALL(%(heads)s)
                        ORDER BY e.id LIMIT %(limit)s FOR UPDATE OF e""",
                    due=due,
                    senders=keyed,
                    heads=[row[0] for row in rows],
                    limit=limit - len(heads),
                )
            )
            rows += due_runs(self.env.cr.fetchall())
        stale = [event_id for event_id, attempts in rows if attempts > len(EVENT_RETRY_DELAYS)]
        if stale:
            # claimed for their last attempt and never finished (the worker died): give up on them
            self.env.cr.execute(
                SQL(
                    """UPDATE mychat_event SET state = 'error', next_attempt_date = NULL,
                              failure_reason = COALESCE(failure_reason, %s)
                        WHERE id = ANY(%s)""",
                    "Processing never finished (the worker stopped).",
                    stale,
                )
            )
        by_lease = {}
        for event_id, attempts in rows:
            if attempts <= len(EVENT_RETRY_DELAYS):
                minutes = EVENT_RETRY_DELAYS[min(attempts, len(EVENT_RETRY_DELAYS) - 1)]
                by_lease.setdefault(now + timedelta(minutes=minutes), []).append(event_id)
        for lease, ids in by_lease.items():
            self.env.cr.execute(
                SQL(
                    """UPDATE mychat_event SET attempts = attempts + 1, next_attempt_date = %s
                        WHERE id = ANY(%s)""",
                    lease,
                    ids,
                )
            )
        events = self.browse(sorted(i for ids in by_lease.values() for i in ids))
        self.browse([row[0] for row in rows]).invalidate_recordset()
        if stale and not events and len(heads) == min(limit, senders):
            return self._mychat_claim(limit)  # all given up on: look further
        return events

    @api.model
    def _cron_process(self):
        """The event worker: claim a batch, commit the claim, process each event in its own savepoint,
        commit the batch; until nothing is due or the cron's time is up. Several workers (cron jobs or
        nodes) can run it at once: they claim different senders. When a sender's event fails and waits for
        its retry, the sender's later events in the batch are given back unprocessed."""
        Cron = self.env["ir.cron"]
        conflicts = 0
        while True:
            try:
                events = self._mychat_claim(CLAIM_BATCH)
            except SerializationFailure:
                # another worker finished a candidate after this transaction's snapshot: a fresh snapshot
                # (the last batch is committed, nothing is lost) sees it
                self.env.cr.rollback()
                conflicts += 1
                if conflicts > MAX_CLAIM_CONFLICTS:
                    self._mychat_wake_workers()
                    return
                continue
            conflicts = 0
            if not events:
                return
            # the claimed attempts are committed first: a crash while processing cannot leave them unnoticed
            Cron._commit_progress()
            waiting = set()  # senders whose event in this batch waits for a retry: their later ones wait too
            for event in events:
                sender = (event.channel_id.id, event.sender_key)
                if event.sender_key and sender in waiting:
                    event._mychat_release()
                    continue
                event._process()
                if event.state == "error" and event.next_attempt_date:
                    waiting.add(sender)
            if not Cron._commit_progress(len(events)):
                # out of time: run again at once for the rest (the triggers of stored events are consumed)
                self._mychat_wake_workers()
                return

    @api.model
    def _mychat_process_pending(self, limit=None):
        """Process due events in this transaction (used by tests and the replay action)."""
        done = self.browse()
        while (limit is None or len(done) < limit) and (event := self._claim_next()):
            event._process()
            done |= event
        return done

    def _process(self):
        """Process one event inside a savepoint: a failure rolls back its partial work only."""
        self.ensure_one()
        try:
            # a failure rolls the savepoint back and clears the caches with it
            with self.env.cr.savepoint():
                payload = self._decode()
                count = self._apply(payload)
        except _Unprocessable as error:
            self.write(
                {
                    "state": "failed",
                    "failure_reason": str(error),
                    "processed_date": fields.Datetime.now(),
                    "next_attempt_date": False,
                }
            )
            return
        except Exception as error:
            _logger.warning("MyChat event %s failed: %s", self.id, error, exc_info=True)
            self._mychat_retry_later(repr(error))
            return
        self.write(
            {
                "state": "done",
                "failure_reason": False,
                "processed_date": fields.Datetime.now(),
                "message_count": count,
                "next_attempt_date": False,
            }
        )

    def _mychat_release(self):
        """Give back a claimed event that was not processed: not an attempt, due again at once."""
        self.write({"attempts": max(self.attempts - 1, 0), "next_attempt_date": False})

    def _mychat_retry_later(self, reason):
        attempts = max(self.attempts, 1)  # counted when the event was claimed
        delay = EVENT_RETRY_DELAYS[attempts - 1] if attempts <= len(EVENT_RETRY_DELAYS) else None
        next_date = fields.Datetime.now() + timedelta(minutes=delay) if delay else False
        self.write(
            {"state": "error", "attempts": attempts, "failure_reason": reason, "next_attempt_date": next_date}
        )
        if next_date:
            self.env.ref("mychat_omnichannel.ir_cron_process_events").sudo()._trigger(next_date)

    def _decode(self):
        if self.payload is False or self.payload is None:
            raise _Unprocessable(_("The raw body was erased (retention or erasure): nothing to process."))
        if (self.content_type or "").startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(self.payload or "", keep_blank_values=True))
        try:
            return json.loads(self.payload)
        except ValueError as error:
            raise _Unprocessable(_("Unparseable payload: %s", error)) from error
        except RecursionError as error:
            raise _Unprocessable(_("Unparseable payload: nested too deeply")) from error

    def _apply(self, payload):
        channel = self.channel_id
        try:
            items = channel._mychat_parse(payload, self)
        except ValueError as error:
            raise _Unprocessable(_("Unsupported payload: %s", error)) from error
        Conversation = self.env["mychat.conversation"].sudo()
        Message = self.env["mychat.message"].sudo()
        for item in items:
            if isinstance(item, InboundMessage):
                Conversation._mychat_ingest(channel, item)
            elif isinstance(item, InboundStatus):
                Message.search(
                    [("channel_id", "=", channel.id), ("external_id", "=", item.external_id)]
                )._mychat_apply_status(item.status, item.error, item.error_kind)
            elif isinstance(item, InboundEdit):
                Message._mychat_apply_edit(channel, item)
            else:
                channel._mychat_apply_item(item, self)
        return len(items)

    def action_replay(self):
        """Process failed or errored events again, now."""
        for event in self.filtered(lambda e: e.state in ("failed", "error")):
            # the stored, signed body is processed again; no one can edit it (see mychat_message_guard)
            event.write({"state": "pending", "next_attempt_date": False, "attempts": 1})
            event._process()
        return True


class _Unprocessable(ValueError):
    """The event cannot be processed as sent: stored as failed, not retried by itself."""
