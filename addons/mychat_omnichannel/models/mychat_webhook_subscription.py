from urllib.parse import urlsplit

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from ..tools import webhooks

DEFAULT_DISABLE_AFTER = 15


class MychatWebhookSubscription(models.Model):
    """An integrator's endpoint that receives MyChat events as signed JSON POSTs (Standard Webhooks)."""

    _name = "mychat.webhook.subscription"
    _description = "MyChat Webhook Subscription"
    _inherit = ["mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    url = fields.Char(
        string="URL", required=True, tracking=True, help="Any http(s) URL, a local one included."
    )
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: webhooks.new_secret(),
        help="The Standard Webhooks signing secret (whsec_…) the receiver verifies webhook-signature with.",
    )
    active = fields.Boolean(default=True, tracking=True)
    event_types = fields.Char(
        string="Events",
        default=",".join(webhooks.EVENT_TYPES),
        tracking=True,
        help="Comma-separated: " + ", ".join(webhooks.EVENT_TYPES) + ". Empty: every event.",
    )
    failure_count = fields.Integer(
        string="Consecutive failures", readonly=True, help="Failed attempts in a row; a success resets it."
    )
    disabled_date = fields.Datetime(readonly=True)
    disabled_reason = fields.Char(readonly=True)
    delivery_ids = fields.One2many("mychat.webhook.delivery", "subscription_id", string="Deliveries")
    delivery_count = fields.Integer(compute="_compute_delivery_stats")
    pending_count = fields.Integer(compute="_compute_delivery_stats", string="Waiting")
    failed_count = fields.Integer(compute="_compute_delivery_stats", string="Given up")

    def _compute_delivery_stats(self):
        groups = self.env["mychat.webhook.delivery"]._read_group(
            [("subscription_id", "in", self.ids)], ["subscription_id", "state"], ["__count"]
        )
        stats = {}
        for subscription, state, count in groups:
            stats.setdefault(subscription.id, {})[state] = count
        for subscription in self:
            counts = stats.get(subscription.id, {})
            subscription.delivery_count = sum(counts.values())
            subscription.pending_count = counts.get("pending", 0)
            subscription.failed_count = counts.get("failed", 0)

    @api.constrains("url")
    def _check_url(self):
        for subscription in self:
            parts = urlsplit((subscription.url or "").strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValidationError(_("The webhook URL must be an http:// or https:// address."))

    @api.constrains("event_types")
    def _check_event_types(self):
        for subscription in self:
            unknown = set(webhooks.parse_event_types(subscription.event_types)) - set(webhooks.EVENT_TYPES)
            if unknown:
                raise ValidationError(
                    _(
                        "Unknown webhook events: %(unknown)s. Known events: %(known)s.",
                        unknown=", ".join(sorted(unknown)),
                        known=", ".join(webhooks.EVENT_TYPES),
                    )
                )

    @api.constrains("secret")
    def _check_secret(self):
        for subscription in self:
            if not (subscription.secret or "").startswith("whsec_"):
                raise ValidationError(_("The signing secret must be a Standard Webhooks key (whsec_…)."))

    @api.model
    @tools.ormcache()
    def _mychat_event_types_wanted(self):
        """The event types some active subscription wants ("*": every event), cached so that the hooks
        cost no query while nobody subscribes; any change of a subscription clears it."""
        wanted = set()
        for subscription in self.sudo().search_fetch([("active", "=", True)], ["event_types"]):
            wanted.update(webhooks.parse_event_types(subscription.event_types) or ["*"])
        return frozenset(wanted)

    @api.model
    def _mychat_is_wanted(self, *event_types):
        wanted = self._mychat_event_types_wanted()
        return "*" in wanted or any(event_type in wanted for event_type in event_types)

    def _mychat_clear_wanted(self):
        # now, and again once committed (another thread may have cached the state before the commit)
        self.env.registry.clear_cache()
        self.env.cr.postcommit.add(self.env.registry.clear_cache)

    @api.model_create_multi
    def create(self, vals_list):
        self._mychat_clear_wanted()
        for vals in vals_list:
            if "url" in vals:
                vals["url"] = (vals["url"] or "").strip()
            if "event_types" in vals:
                vals["event_types"] = ",".join(webhooks.parse_event_types(vals["event_types"]))
        return super().create(vals_list)

    def write(self, vals):
        if {"active", "event_types"} & set(vals):
            self._mychat_clear_wanted()
        if "url" in vals:
            vals["url"] = (vals["url"] or "").strip()
        if "event_types" in vals:
            vals["event_types"] = ",".join(webhooks.parse_event_types(vals["event_types"]))
        if vals.get("active"):
            vals.update(failure_count=0, disabled_date=False, disabled_reason=False)
        return super().write(vals)

    def unlink(self):
        self._mychat_clear_wanted()
        return super().unlink()

    def _mychat_wants(self, event_type):
        self.ensure_one()
        wanted = webhooks.parse_event_types(self.event_types)
        return not wanted or event_type in wanted

    @api.model
    def _mychat_disable_after(self):
        value = self.env["ir.config_parameter"].sudo().get_param("mychat.webhook_disable_after")
        return int(value) if (value or "").isdigit() and int(value) > 0 else DEFAULT_DISABLE_AFTER

    def _mychat_record_result(self, ok, error=""):
        """Count consecutive failures; too many in a row disable the subscription."""
        for subscription in self:
            if ok:
                if subscription.failure_count:
                    subscription.failure_count = 0
                continue
            subscription.failure_count += 1
            if subscription.active and subscription.failure_count >= self._mychat_disable_after():
                subscription._mychat_disable(
                    _(
                        "%(count)s failed attempts in a row; the last one: %(error)s",
                        count=subscription.failure_count,
                        error=error,
                    )
                )

    def _mychat_disable(self, reason):
        """Stop sending: pending deliveries are cancelled and the administrator gets an activity."""
        for subscription in self:
            subscription.write(
                {"active": False, "disabled_date": fields.Datetime.now(), "disabled_reason": reason}
            )
            subscription.delivery_ids.filtered(lambda d: d.state == "pending").write(
                {"state": "cancelled", "next_attempt_date": False}
            )
            note = _("The webhook %(name)s was disabled: %(reason)s", name=subscription.name, reason=reason)
            subscription.message_post(body=note)
            admin = subscription.create_uid
            if not admin.has_group("base.group_system"):
                admin = self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user
            subscription.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=_("Webhook disabled: %s", subscription.name),
                note=note,
                user_id=admin.id,
            )

    def action_regenerate_secret(self):
        for subscription in self:
            subscription.secret = webhooks.new_secret()
        return True

    def action_enable(self):
        self.write({"active": True})
        return True

    def action_send_test(self):
        """Queue a ``webhook.test`` event for this endpoint (sent by the delivery cron at once)."""
        Delivery = self.env["mychat.webhook.delivery"]
        for subscription in self:
            Delivery._mychat_create(subscription, "webhook.test", {"subscription_id": subscription.id})
        Delivery._mychat_trigger()
        return True

    def action_view_deliveries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Deliveries"),
            "res_model": "mychat.webhook.delivery",
            "view_mode": "list,form",
            "domain": [("subscription_id", "=", self.id)],
            "context": {"default_subscription_id": self.id},
        }
