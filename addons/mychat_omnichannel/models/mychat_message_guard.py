"""Tamper-proof history: users never write the wire fields of ``mychat.message`` nor what an event stored.

The pipeline (inbound processing, sending, statuses, edits, replays) passes the guard with the pass of
``tools/pipeline.py``; the product's own actions (withdraw, retry) take it for their writes."""

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..tools.pipeline import in_pipeline, pipeline

# what the provider or the pipeline decided: never written by a user
MESSAGE_WIRE_FIELDS = frozenset(
    {
        "conversation_id",
        "direction",
        "external_id",
        "author_kind",
        "author_user_id",
        "body",
        "message_type",
        "date",
        "attachment_ids",
        "reply_to_id",
        "template_id",
        "template_values",
        "buttons",
        "edited_date",
        "withdrawn",
        "recalled",
        "failure_kind",
        "failure_detail",
    }
)
STATE_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}
EVENT_WIRE_FIELDS = frozenset({"channel_id", "company_id", "dedupe_key", "payload", "content_type"})


class MychatMessage(models.Model):
    _inherit = "mychat.message"

    @api.model_create_multi
    def create(self, vals_list):
        if not in_pipeline(self):
            for vals in vals_list:
                # a user creates outbound replies only; what arrives from the customer is the pipeline's
                if (
                    vals.get("direction") != "outbound"
                    or vals.get("external_id")
                    or vals.get("author_kind", "customer") == "customer"
                    or vals.get("state", "received") not in ("queued", "failed")
                ):
                    raise AccessError(_("Only MyChat itself records received or sent messages."))
            self.env["ir.attachment"]._mychat_check_handed_in(
                [vals.get("attachment_ids") for vals in vals_list]
            )
        return super().create(vals_list)

    def write(self, vals):
        if not in_pipeline(self):
            self._mychat_check_user_write(vals)
        return super().write(vals)

    def _mychat_check_user_write(self, vals):
        wire = sorted(MESSAGE_WIRE_FIELDS.intersection(vals))
        if wire:
            raise AccessError(
                _("These fields of a message are its history and cannot be changed: %s", ", ".join(wire))
            )
        if "state" in vals:
            new = vals["state"]
            for message in self:
                old = message.state
                forward = (
                    message.direction == "outbound"
                    and old in STATE_RANK
                    and STATE_RANK.get(new, -1) > STATE_RANK[old]
                )
                if new != old and not forward:
                    raise AccessError(_("A message's state never moves backwards."))

    # the pipeline's own writes
    def _mychat_attempt_send(self):
        return super(MychatMessage, pipeline(self))._mychat_attempt_send()

    def _mychat_send_failed(self, error):
        return super(MychatMessage, pipeline(self))._mychat_send_failed(error)

    def _mychat_fetch_media(self, media_items):
        return super(MychatMessage, pipeline(self))._mychat_fetch_media(media_items)

    def _mychat_apply_status(self, status, error="", error_kind="permanent"):
        return super(MychatMessage, pipeline(self))._mychat_apply_status(status, error, error_kind)

    @api.model
    def _mychat_apply_edit(self, channel, edit):
        return super(MychatMessage, pipeline(self))._mychat_apply_edit(channel, edit)

    def action_retry(self):
        self.check_access("write")
        return super(MychatMessage, pipeline(self)).action_retry()

    def action_withdraw(self):
        self.check_access("write")
        return super(MychatMessage, pipeline(self)).action_withdraw()


class MychatEvent(models.Model):
    _inherit = "mychat.event"

    @api.model_create_multi
    def create(self, vals_list):
        if not in_pipeline(self):
            raise AccessError(_("Inbound events are stored by the webhook only."))
        return super().create(vals_list)

    def write(self, vals):
        if not in_pipeline(self) and EVENT_WIRE_FIELDS.intersection(vals):
            raise AccessError(_("An inbound event keeps the body it was received with; it cannot be edited."))
        return super().write(vals)
