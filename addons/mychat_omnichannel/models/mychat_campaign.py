"""Campaigns: an approved template sent to an audience of partners (or leads' customers) over one
channel, at the channel's send rate, each recipient checked against consent (skipped ones say why)."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("scheduled", "Scheduled"),
    ("running", "Running"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# figures: each one counts the recipients whose state reached it (a read message was delivered and sent)
FIGURE_STATES = {
    "pending": ("pending",),
    "sent": ("sent", "delivered", "read", "replied"),
    "delivered": ("delivered", "read", "replied"),
    "read": ("read", "replied"),
    "replied": ("replied",),
    "failed": ("failed",),
    "skipped": ("skipped",),
}


class MychatCampaign(models.Model):
    _name = "mychat.campaign"
    _description = "MyChat Campaign"
    _order = "id desc"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    channel_id = fields.Many2one(
        "mychat.channel",
        required=True,
        domain="[('channel_type', 'in', ('whatsapp', 'sms', 'telegram', 'messenger', 'instagram'))]",
    )
    channel_type = fields.Selection(related="channel_id.channel_type")
    company_id = fields.Many2one(related="channel_id.company_id", store=True)
    template_id = fields.Many2one(
        "mychat.template",
        string="Template",
        domain="[('status', '=', 'approved'), ('channel_type', '=', channel_type), "
        "('channel_id', 'in', [False, channel_id])]",
    )
    body = fields.Text(
        string="Message",
        help="Free text, for channels without a reply window (SMS, Telegram); WhatsApp needs a template.",
    )
    variable_sources = fields.Char(
        compute="_compute_variable_sources",
        store=True,
        readonly=False,
        help="What fills {{1}}, {{2}}, … for each recipient: partner.<field>, lead.<field>, user.<field>, "
        "company.<field> or a quoted text, comma separated.",
    )
    preview = fields.Text(compute="_compute_preview")
    state = fields.Selection(CAMPAIGN_STATES, default="draft", required=True, readonly=True, index=True)
    audience = fields.Selection(
        [("partner", "Contacts"), ("lead", "Leads / opportunities")], default="partner", required=True
    )
    partner_domain = fields.Char(string="Contacts", default="[]", help="A domain on res.partner.")
    lead_domain = fields.Char(string="Leads", default="[]", help="A domain on crm.lead: their customers.")
    schedule_date = fields.Datetime(string="Send on")
    user_id = fields.Many2one("res.users", string="Responsible", default=lambda self: self.env.user)
    recipient_ids = fields.One2many("mychat.campaign.recipient", "campaign_id", string="Recipients")
    launch_date = fields.Datetime(readonly=True)
    done_date = fields.Datetime(readonly=True)
    recipient_count = fields.Integer(compute="_compute_figures", string="Number of recipients")
    pending_count = fields.Integer(compute="_compute_figures", string="Pending")
    sent_count = fields.Integer(compute="_compute_figures", string="Sent")
    delivered_count = fields.Integer(compute="_compute_figures", string="Delivered")
    read_count = fields.Integer(compute="_compute_figures", string="Read")
    replied_count = fields.Integer(compute="_compute_figures", string="Replied")
    failed_count = fields.Integer(compute="_compute_figures", string="Failed")
    skipped_count = fields.Integer(compute="_compute_figures", string="Skipped")

    @api.depends("template_id")
    def _compute_variable_sources(self):
        for campaign in self:
            campaign.variable_sources = campaign.template_id.variable_sources or False

    @api.depends("template_id", "variable_sources", "body")
    def _compute_preview(self):
        for campaign in self:
            sample = self.env["res.partner"].search(campaign._mychat_partner_domain(), limit=1)
            template = campaign.template_id
            if template:
                values = campaign._mychat_values(sample, self.env["crm.lead"])
                campaign.preview = template._mychat_preview(values)
            else:
                campaign.preview = campaign.body or False

    @api.depends("recipient_ids.state")
    def _compute_figures(self):
        counts = {}
        for campaign, state, count in self.env["mychat.campaign.recipient"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
        ):
            counts.setdefault(campaign.id, {})[state] = count
        for campaign in self:
            by_state = counts.get(campaign.id, {})
            campaign.recipient_count = sum(by_state.values())
            for figure, states in FIGURE_STATES.items():
                campaign[f"{figure}_count"] = sum(by_state.get(s, 0) for s in states)

    # ------------------------------------------------------------------
    # Audience
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        campaigns.filtered(lambda c: not c.recipient_ids)._mychat_refill()
        return campaigns

    def write(self, vals):
        res = super().write(vals)
        if {"partner_domain", "lead_domain", "audience"} & set(vals):
            self._mychat_refill()
        return res

    def _mychat_refill(self):
        """Recipients follow the audience until the campaign runs; a domain that cannot be read yet is left
        for the launch to report."""
        for campaign in self.filtered(lambda c: c.state in ("draft", "scheduled")):
            campaign.recipient_ids.filtered(lambda r: not r.message_id and not r.skip_reason).unlink()
            try:
                campaign.action_fill_recipients()
            except UserError:
                continue

    def _mychat_eval_domain(self, text):
        try:
            domain = safe_eval(text or "[]")
        except Exception as error:
            raise UserError(
                _("The audience of %(name)s is not a valid domain: %(error)s", name=self.name, error=error)
            ) from error
        if not isinstance(domain, (list, tuple)):
            raise UserError(_("The audience of %s is not a valid domain.", self.name))
        return list(domain)

    def _mychat_partner_domain(self):
        self.ensure_one()
        if self.audience == "lead":
            return [("id", "in", self._mychat_leads().partner_id.ids)]
        return self._mychat_eval_domain(self.partner_domain)

    def _mychat_leads(self):
        return (
            self.env["crm.lead"].search(self._mychat_eval_domain(self.lead_domain))
            if self.audience == "lead"
            else self.env["crm.lead"]
        )

    def action_fill_recipients(self):
        """Add the audience's partners (once each) to the recipients still to be sent."""
        for campaign in self:
            if campaign.state not in ("draft", "scheduled"):
                raise UserError(_("Recipients can only be added before the campaign runs."))
            known = set(campaign.recipient_ids.partner_id.ids)
            lines = []
            if campaign.audience == "lead":
                for lead in campaign._mychat_leads():
                    if lead.partner_id and lead.partner_id.id not in known:
                        known.add(lead.partner_id.id)
                        lines.append({"partner_id": lead.partner_id.id, "lead_id": lead.id})
            else:
                partners = self.env["res.partner"].search(campaign._mychat_partner_domain(), order="id")
                lines = [{"partner_id": p.id} for p in partners if p.id not in known]
            campaign.recipient_ids = [fields.Command.create(vals) for vals in lines]
        return True

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    def _mychat_check_ready(self):
        for campaign in self:
            if not campaign.template_id and not campaign.body:
                raise UserError(_("Choose the template (or the text) of the campaign %s.", campaign.name))
            if not campaign.template_id and campaign.channel_id._mychat_window_hours():
                raise UserError(
                    _("%s channels need an approved template for campaigns.", campaign.channel_id.name)
                )
            if not campaign.recipient_ids:
                campaign.action_fill_recipients()
            if not campaign.recipient_ids:
                raise UserError(_("The audience of the campaign %s is empty.", campaign.name))

    def action_launch(self):
        """Start sending now (at the channel's send rate)."""
        self.filtered(lambda c: c.state not in ("draft", "scheduled")) and self._mychat_raise_state()
        self._mychat_check_ready()
        self.write({"state": "running", "launch_date": fields.Datetime.now()})
        self._mychat_run()
        return True

    def action_schedule(self):
        for campaign in self:
            if campaign.state != "draft":
                self._mychat_raise_state()
            if not campaign.schedule_date:
                raise UserError(_("Set the date to send the campaign %s on.", campaign.name))
        self._mychat_check_ready()
        self.write({"state": "scheduled"})
        cron = self.env.ref("mychat_omnichannel.ir_cron_run_campaigns").sudo()
        for campaign in self:
            cron._trigger(campaign.schedule_date)
        return True

    def action_cancel(self):
        self.filtered(lambda c: c.state != "done").write({"state": "cancelled"})
        return True

    def action_draft(self):
        self.filtered(lambda c: c.state in ("scheduled", "cancelled")).write({"state": "draft"})
        return True

    def _mychat_raise_state(self):
        raise UserError(_("Only a draft or scheduled campaign can be launched."))

    def action_view_recipients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mychat_omnichannel.mychat_campaign_recipient_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        state = self.env.context.get("mychat_figure")
        if state:
            action["domain"].append(("state", "in", FIGURE_STATES[state]))
        return action

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _mychat_values(self, partner, lead):
        self.ensure_one()
        template = self.template_id
        if not template:
            return []
        return template.with_context(mychat_variable_sources=self.variable_sources)._mychat_fill(
            partner=partner, lead=lead or None, user=self.user_id
        )

    @api.model
    def _cron_run_campaigns(self):
        self.search([("state", "=", "scheduled"), ("schedule_date", "<=", fields.Datetime.now())]).write(
            {"state": "running", "launch_date": fields.Datetime.now()}
        )
        self.search([("state", "=", "running")], order="id")._mychat_run()

    def _mychat_run(self):
        """Send up to each channel's per-minute rate; the rest goes a minute later."""
        budget = {}
        left = False
        for campaign in self.filtered(lambda c: c.state == "running"):
            channel = campaign.channel_id
            budget.setdefault(channel.id, max(channel.campaign_rate, 1))
            pending = campaign.recipient_ids.filtered(lambda r: r.state == "pending" and not r.message_id)
            for recipient in pending:
                if budget[channel.id] <= 0:
                    break
                recipient._mychat_send()
                if recipient.message_id:
                    budget[channel.id] -= 1  # the rate counts messages sent, not recipients skipped
                if self.env.context.get("cron_id"):  # a launch from the form sends in its own transaction
                    self.env["ir.cron"]._commit_progress(1)
            if campaign.recipient_ids.filtered(lambda r: r.state == "pending" and not r.message_id):
                left = True
            else:
                campaign.write({"state": "done", "done_date": fields.Datetime.now()})
        if left:
            cron = self.env.ref("mychat_omnichannel.ir_cron_run_campaigns").sudo()
            cron._trigger(fields.Datetime.now() + timedelta(minutes=1))
