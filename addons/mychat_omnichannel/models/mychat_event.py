import json
import logging
from datetime import timedelta
from urllib.parse import parse_qsl

from psycopg2.errors import SerializationFailure

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..const import EVENT_RETRY_DELAYS
from ..tools.inbound import InboundEdit, InboundMessage, InboundStatus

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

    _channel_dedupe_uniq = models.Constraint(
        "UNIQUE(channel_id, dedupe_key)", "This delivery is already stored."
    )
    _pending_idx = models.Index("(id) WHERE state IN ('pending', 'error')")

    @api.model
    def _mychat_store(
        self, channel, dedupe_key, payload, content_type="application/json", state="pending", reason=None
    ):
        """Insert one delivery; a duplicate (even a concurrent one) is absorbed by the unique key.
        Return the new event id, or None for a duplicate."""
        query = SQL(
            """INSERT INTO mychat_event (channel_id, company_id, dedupe_key, payload, content_type, state,
                   failure_reason, attempts, create_uid, write_uid, create_date, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s, %s,
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
            self.env.ref("mychat_omnichannel.ir_cron_process_events").sudo()._trigger()
        return row[0] if row else None

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
        """Lock the oldest due event (id order keeps each conversation in order); None when idle."""
        self.flush_model(
            ["state", "next_attempt_date"]
        )  # the previous event's outcome, else it is claimed again
        self.env.cr.execute(
            SQL(
                """SELECT id FROM mychat_event
                    WHERE state = 'pending' OR (state = 'error' AND next_attempt_date <= %s)
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""",
                fields.Datetime.now(),
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else None

    @api.model
    def _cron_process(self):
        while event := self._claim_next():
            event._process()
            if not self.env["ir.cron"]._commit_progress(1):
                # out of time: run again at once for the rest (the triggers of stored events are consumed)
                self.env.ref("mychat_omnichannel.ir_cron_process_events")._trigger()
                break

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
        self.env.invalidate_all()
        try:
            with self.env.cr.savepoint():
                payload = self._decode()
                count = self._apply(payload)
        except _Unprocessable as error:
            self.write(
                {"state": "failed", "failure_reason": str(error), "processed_date": fields.Datetime.now()}
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
            }
        )

    def _mychat_retry_later(self, reason):
        attempts = self.attempts + 1
        delay = EVENT_RETRY_DELAYS[attempts - 1] if attempts <= len(EVENT_RETRY_DELAYS) else None
        next_date = fields.Datetime.now() + timedelta(minutes=delay) if delay else False
        self.write(
            {"state": "error", "attempts": attempts, "failure_reason": reason, "next_attempt_date": next_date}
        )
        if next_date:
            self.env.ref("mychat_omnichannel.ir_cron_process_events").sudo()._trigger(next_date)

    def _decode(self):
        if (self.content_type or "").startswith("application/x-www-form-urlencoded"):
            return dict(parse_qsl(self.payload or "", keep_blank_values=True))
        try:
            return json.loads(self.payload or "")
        except ValueError as error:
            raise _Unprocessable(_("Unparseable payload: %s", error)) from error

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
            event.write({"state": "pending", "next_attempt_date": False, "attempts": 0})
            event._process()
        return True


class _Unprocessable(ValueError):
    """The event cannot be processed as sent: stored as failed, not retried by itself."""
