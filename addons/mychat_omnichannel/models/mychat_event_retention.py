"""Privacy and recovery on the inbound inbox: raw bodies of processed events are blanked after the
retention period, and a restarted server picks pending events up at once."""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30


class MychatEvent(models.Model):
    _inherit = "mychat.event"

    payload_erased_date = fields.Datetime(
        string="Raw body erased on", readonly=True, help="Blanked by the retention period or an erasure."
    )

    def _register_hook(self):
        """At every registry load (server start, worker start): wake the event cron for the events left
        pending by a restart or a crash, instead of waiting for its next poll."""
        res = super()._register_hook()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """SELECT MIN(COALESCE(next_attempt_date, now() at time zone 'UTC'))
                             FROM mychat_event
                            WHERE state = 'pending' OR (state = 'error' AND next_attempt_date IS NOT NULL)"""
                    ),
                    log_exceptions=False,
                )
                (when,) = self.env.cr.fetchone()
                if when:
                    cron = self.env.ref("mychat_omnichannel.ir_cron_process_events", raise_if_not_found=False)
                    if cron:
                        cron.sudo()._trigger(max(when, fields.Datetime.now()))
        except Exception as error:  # noqa: BLE001 -- never block a registry load
            _logger.info("MyChat: could not wake the event cron at start: %s", error)
        return res

    @api.model
    def _mychat_retention_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("mychat.event_retention_days")
        try:
            return int(value) if value not in (None, False, "") else DEFAULT_RETENTION_DAYS
        except ValueError:
            return DEFAULT_RETENTION_DAYS

    @api.model
    def _cron_purge_payloads(self):
        """Blank the raw bodies of events processed more than ``mychat.event_retention_days`` ago (0 keeps
        them). Events still to be processed or replayed (pending, failed, error) keep theirs."""
        days = self._mychat_retention_days()
        if days <= 0:
            return 0
        limit = fields.Datetime.now() - timedelta(days=days)
        self.flush_model(["state", "payload", "processed_date"])
        self.env.cr.execute(
            SQL(
                """UPDATE mychat_event SET payload = NULL, payload_erased_date = now() at time zone 'UTC'
                    WHERE state = 'done' AND payload IS NOT NULL AND processed_date < %s""",
                limit,
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["payload", "payload_erased_date"])
        _logger.info("MyChat: blanked the raw body of %s processed events (retention %s days)", count, days)
        return count
