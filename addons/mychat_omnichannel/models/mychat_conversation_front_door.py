from odoo import api, fields, models

# mychat.contact external ids of website visitors nobody knows (see discuss_channel._mychat_visitor)
ANONYMOUS_PREFIXES = ("guest:", "livechat:")


class MychatConversation(models.Model):
    """The front door of website live chat: an anonymous visitor's conversation is *held* (no lead, no
    routing, no alert) until the visitor passes the pre-chat form or writes a second message, so a
    scripted flood of one-message sessions costs nobody anything."""

    _inherit = "mychat.conversation"

    mychat_held = fields.Boolean(
        string="Held at the front door",
        readonly=True,
        index="btree_not_null",
        help="An anonymous website visitor who has neither filled the pre-chat form nor written a second "
        "message: no lead, routing or alert yet.",
    )
    mychat_prechat_done = fields.Boolean(
        string="Pre-chat form filled", readonly=True, help="The visitor answered the pre-chat form."
    )
    mychat_prechat_summary = fields.Text(
        string="Pre-chat form", compute="_compute_mychat_prechat_summary", help="The visitor's answers."
    )

    @api.depends("data_ids.value", "data_ids.source")
    def _compute_mychat_prechat_summary(self):
        for conv in self:
            rows = conv.data_ids.filtered(lambda d: d.source == "form")
            conv.mychat_prechat_summary = (
                "\n".join(f"{d.label or d.key}: {d.value or ''}" for d in rows) or False
            )

    def _mychat_on_new(self):
        res = super()._mychat_on_new()
        held = self.filtered(lambda c: c._mychat_is_anonymous_visitor() and not c.mychat_prechat_done)
        if held:
            held.mychat_held = True
        return res

    def _mychat_is_anonymous_visitor(self):
        """A website live chat guest (not a logged-in partner, not identified)."""
        self.ensure_one()
        external_id = self.contact_id.external_id or ""
        return (
            self.channel_type == "livechat"
            and not self.partner_id
            and external_id.startswith(ANONYMOUS_PREFIXES)
        )

    def _mychat_register(self, message):
        if self.mychat_held and message.direction == "inbound" and self._mychat_front_door_passed(message):
            self.mychat_held = False
        return super()._mychat_register(message)

    def _mychat_front_door_passed(self, message):
        """Whether the held visitor may come in with ``message``: the form was filled, the visitor got
        identified, or this is their second message."""
        self.ensure_one()
        if self.mychat_prechat_done or self.partner_id:
            return True
        inbound = self.env["mychat.message"].search_count(
            [("conversation_id", "=", self.id), ("direction", "=", "inbound")], limit=2
        )
        return inbound >= 2

    def _mychat_release(self):
        """The visitor filled the pre-chat form: lead rules and routing run from their next message on
        (the form comes before the first message)."""
        self.write({"mychat_held": False, "mychat_prechat_done": True})
