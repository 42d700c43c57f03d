import math

from odoo import _, api, fields, models
from odoo.tools import SQL

# ir.config_parameter → default; 0 switches a limit off (contract "Abuse": 10 new sessions per IP per minute)
RATE_LIMITS = {
    "session_ip": ("mychat.ratelimit_sessions_per_ip", 10),
    "session_guest": ("mychat.ratelimit_sessions_per_guest", 10),
    "message_ip": ("mychat.ratelimit_messages_per_ip", 300),
    "message_guest": ("mychat.ratelimit_messages_per_guest", 60),
    "optin_ip": ("mychat.ratelimit_optins_per_ip", 5),
}
WINDOW_PARAM, DEFAULT_WINDOW = "mychat.ratelimit_window_seconds", 60


class MychatRateHit(models.Model):
    """One accepted request of a rate-limited kind (a sliding-window log, kept one window long)."""

    _name = "mychat.rate.hit"
    _description = "MyChat Rate Limit Hit"
    _log_access = False

    key = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, index=True)


class MychatRateBlock(models.Model):
    """Requests refused by a rate limit, counted per kind and sender (IP address or guest)."""

    _name = "mychat.rate.block"
    _description = "MyChat Blocked Attempts"
    _order = "last_date desc, id desc"
    _rec_name = "subject"

    kind = fields.Selection(
        [
            ("session_ip", "Live chat sessions per IP"),
            ("session_guest", "Live chat sessions per guest"),
            ("message_ip", "Live chat messages per IP"),
            ("message_guest", "Live chat messages per guest"),
            ("captcha", "Captcha failed"),
            ("optin_ip", "Opt-in forms per IP"),
        ],
        required=True,
        readonly=True,
    )
    subject = fields.Char(string="IP address / guest", required=True, readonly=True)
    count = fields.Integer(string="Blocked attempts", readonly=True)
    first_date = fields.Datetime(string="First blocked", readonly=True)
    last_date = fields.Datetime(string="Last blocked", readonly=True)

    _kind_subject_uniq = models.Constraint("UNIQUE(kind, subject)", "One counter per limit and sender.")

    @api.model
    def _mychat_count(self, kind, subject):
        """Count one refused request (one upsert, safe under concurrency)."""
        self.env.cr.execute(
            SQL(
                """INSERT INTO mychat_rate_block (kind, subject, count, first_date, last_date)
                   VALUES (%(kind)s, %(subject)s, 1, now() at time zone 'UTC', now() at time zone 'UTC')
                   ON CONFLICT (kind, subject) DO UPDATE
                   SET count = mychat_rate_block.count + 1, last_date = EXCLUDED.last_date""",
                kind=kind,
                subject=subject[:200],
            )
        )
        self.invalidate_model()

    @api.model
    def _mychat_limit(self, kind):
        param, default = RATE_LIMITS[kind]
        ICP = self.env["ir.config_parameter"].sudo()
        try:
            limit = int(ICP.get_param(param, default))
        except (TypeError, ValueError):
            limit = default
        try:
            window = int(ICP.get_param(WINDOW_PARAM, DEFAULT_WINDOW)) or DEFAULT_WINDOW
        except (TypeError, ValueError):
            window = DEFAULT_WINDOW
        return max(limit, 0), max(window, 1)

    @api.model
    def _mychat_check(self, kind, subject):
        """Record one request of ``kind`` by ``subject``; return 0 when allowed, else the seconds to wait
        (the request is then counted as blocked and not recorded as a hit)."""
        limit, window = self._mychat_limit(kind)
        if not limit or not subject:
            return 0
        key = f"{kind}:{subject}"
        cr = self.env.cr
        # one decision at a time per sender and kind: parallel requests cannot both take the last slot
        cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", key))
        cr.execute(
            SQL(
                """DELETE FROM mychat_rate_hit
                   WHERE key = %(key)s
                     AND date <= (now() at time zone 'UTC') - make_interval(secs => %(w)s)""",
                key=key,
                w=window,
            )
        )
        cr.execute(
            SQL(
                """SELECT count(*), EXTRACT(EPOCH FROM min(date) + make_interval(secs => %(w)s)
                                            - (now() at time zone 'UTC'))
                   FROM mychat_rate_hit WHERE key = %(key)s""",
                key=key,
                w=window,
            )
        )
        count, wait = cr.fetchone()
        if count >= limit:
            self._mychat_count(kind, subject)
            return max(1, math.ceil(wait or 1))
        cr.execute(
            SQL(
                "INSERT INTO mychat_rate_hit (key, date) VALUES (%s, now() at time zone 'UTC')",
                key,
            )
        )
        return 0

    @api.model
    def _cron_mychat_purge_hits(self):
        """Drop hits older than a day (each check already drops its own sender's expired ones)."""
        self.env.cr.execute(
            "DELETE FROM mychat_rate_hit WHERE date < (now() at time zone 'UTC') - interval '1 day'"
        )

    def action_reset(self):
        """A manager clears counters (e.g. after unblocking a shared office IP)."""
        self.unlink()
        return True

    @api.model
    def _mychat_blocked_message(self):
        return _("Too many requests: please wait a moment and try again.")
