"""Start a conversation from a partner, a lead, a conversation, or several partners or leads: the
channels that can reach the recipient, free text where allowed, else an approved template filled from
the record, with a preview."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

MAX_VARIABLES = 5


class MychatStartConversation(models.TransientModel):
    _name = "mychat.start.conversation"
    _description = "Start a MyChat conversation"

    partner_ids = fields.Many2many("res.partner", string="Recipients")
    lead_ids = fields.Many2many("crm.lead", string="Leads")
    recipient_count = fields.Integer(compute="_compute_recipient_count")
    available_channel_ids = fields.Many2many("mychat.channel", compute="_compute_available_channel_ids")
    channel_id = fields.Many2one(
        "mychat.channel",
        string="Channel",
        domain="[('id', 'in', available_channel_ids)]",
        compute="_compute_channel_id",
        store=True,
        readonly=False,
    )
    channel_type = fields.Selection(related="channel_id.channel_type")
    free_text_allowed = fields.Boolean(compute="_compute_free_text_allowed")
    use_template = fields.Boolean(
        string="Use a template", compute="_compute_use_template", store=True, readonly=False
    )
    body = fields.Text(string="Message")
    template_id = fields.Many2one(
        "mychat.template",
        string="Template",
        domain="[('status', '=', 'approved'), ('channel_type', '=', channel_type), "
        "('channel_id', 'in', [False, channel_id])]",
    )
    variable_count = fields.Integer(related="template_id.variable_count")
    value_1 = fields.Char(string="{{1}}", compute="_compute_values", store=True, readonly=False)
    value_2 = fields.Char(string="{{2}}", compute="_compute_values", store=True, readonly=False)
    value_3 = fields.Char(string="{{3}}", compute="_compute_values", store=True, readonly=False)
    value_4 = fields.Char(string="{{4}}", compute="_compute_values", store=True, readonly=False)
    value_5 = fields.Char(string="{{5}}", compute="_compute_values", store=True, readonly=False)
    preview = fields.Text(compute="_compute_preview")
    note = fields.Char(compute="_compute_free_text_allowed")

    @api.model
    def _mychat_action(self, partners=None, leads=None, channel=None):
        leads = leads or self.env["crm.lead"]
        partners = (partners or self.env["res.partner"]) | leads.partner_id
        context = {
            "default_partner_ids": partners.ids,
            "default_lead_ids": leads.ids,
        }
        if channel:
            context["default_channel_id"] = channel.id
        return {
            "type": "ir.actions.act_window",
            "name": _("Start a conversation"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def _mychat_recipients(self):
        """(partner, lead) pairs; leads without a customer are listed with an empty partner."""
        self.ensure_one()
        pairs = [(lead.partner_id, lead) for lead in self.lead_ids]
        in_leads = {lead.partner_id.id for lead in self.lead_ids if lead.partner_id}
        pairs += [(p, self.env["crm.lead"]) for p in self.partner_ids if p.id not in in_leads]
        return pairs

    @api.depends("partner_ids", "lead_ids")
    def _compute_recipient_count(self):
        for wizard in self:
            wizard.recipient_count = len(wizard._mychat_recipients())

    @api.depends("partner_ids", "lead_ids")
    def _compute_available_channel_ids(self):
        channels = self.env["mychat.channel"].search([("active", "=", True)])
        for wizard in self:
            partners = self.env["res.partner"].union(*[p for p, _lead in wizard._mychat_recipients()])
            phones = any(lead.phone and not lead.partner_id for lead in wizard.lead_ids)
            wizard.available_channel_ids = channels.filtered(
                lambda c, partners=partners, phones=phones: (
                    any(c._mychat_can_reach(p) for p in partners)
                    or (phones and c.channel_type in ("whatsapp", "sms"))
                )
            )

    @api.depends("available_channel_ids")
    def _compute_channel_id(self):
        for wizard in self:
            if wizard.channel_id not in wizard.available_channel_ids:
                wizard.channel_id = wizard.available_channel_ids[:1]

    def _mychat_conversation(self):
        """The open or last conversation of the single recipient on the chosen channel."""
        self.ensure_one()
        pairs = self._mychat_recipients()
        if len(pairs) != 1 or not pairs[0][0] or not self.channel_id:
            return self.env["mychat.conversation"]
        return self.env["mychat.conversation"].search(
            [("channel_id", "=", self.channel_id.id), ("partner_id", "=", pairs[0][0].id)],
            order="id desc",
            limit=1,
        )

    @api.depends("channel_id", "partner_ids", "lead_ids")
    def _compute_free_text_allowed(self):
        for wizard in self:
            channel = wizard.channel_id
            conversation = wizard._mychat_conversation()
            if not channel:
                allowed, note = (
                    False,
                    _("No channel can reach this customer: no phone number, and never wrote."),
                )
            elif not channel._mychat_window_hours():
                allowed, note = True, False
            elif conversation and conversation._mychat_window_open():
                allowed, note = (
                    True,
                    _(
                        "The customer wrote in the last %s hours: free text is allowed.",
                        channel._mychat_window_hours(),
                    ),
                )
            else:
                allowed = False
                note = _(
                    "The %s-hour reply window is closed: only an approved template can be sent.",
                    channel._mychat_window_hours(),
                )
            wizard.free_text_allowed = allowed
            wizard.note = note

    @api.depends("free_text_allowed")
    def _compute_use_template(self):
        for wizard in self:
            wizard.use_template = not wizard.free_text_allowed

    @api.depends("template_id", "partner_ids", "lead_ids")
    def _compute_values(self):
        for wizard in self:
            pairs = wizard._mychat_recipients()
            partner, lead = pairs[0] if pairs else (self.env["res.partner"], self.env["crm.lead"])
            values = (
                wizard.template_id._mychat_fill(partner=partner, lead=lead or None)
                if wizard.template_id
                else []
            )
            for index in range(1, MAX_VARIABLES + 1):
                wizard[f"value_{index}"] = values[index - 1] if index <= len(values) else False

    def _mychat_values(self):
        return [self[f"value_{n}"] or "" for n in range(1, min(self.variable_count, MAX_VARIABLES) + 1)]

    @api.depends("template_id", "use_template", "body", "value_1", "value_2", "value_3", "value_4", "value_5")
    def _compute_preview(self):
        for wizard in self:
            if wizard.use_template and wizard.template_id:
                wizard.preview = wizard.template_id._mychat_preview(wizard._mychat_values())
            else:
                wizard.preview = wizard.body or False

    def action_start(self):
        """Send to every recipient; one recipient: open its conversation, several: say what happened."""
        self.ensure_one()
        if not self.channel_id:
            raise UserError(_("Choose a channel that can reach the customer."))
        if self.use_template and not self.template_id:
            raise UserError(_("Choose an approved template."))
        if not self.use_template and not (self.body or "").strip():
            raise UserError(_("Write the message."))
        pairs = self._mychat_recipients()
        single = len(pairs) == 1
        started, refused = self.env["mychat.conversation"], []
        for partner, lead in pairs:
            if not partner and lead:
                lead._handle_partner_assignment(create_missing=True)
                partner = lead.partner_id
            template = self.template_id if self.use_template else None
            values = self._mychat_values() if single else None
            try:
                with self.env.cr.savepoint():
                    conversation, _message = self.channel_id._mychat_start(
                        partner,
                        body=None if template else self.body,
                        template=template,
                        values=values,
                        lead=lead or None,
                    )
            except UserError as error:
                if single:
                    raise
                refused.append(f"{partner.display_name}: {error}")
                continue
            started |= conversation
        if single:
            return started.action_open()
        message = _(
            "%(started)s conversations started, %(refused)s not.", started=len(started), refused=len(refused)
        )
        if refused:
            message += "\n" + "\n".join(refused[:20])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if refused else "success",
                "message": message,
                "sticky": bool(refused),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
