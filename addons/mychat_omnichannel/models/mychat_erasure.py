"""Erasure of one customer's data (right to be forgotten): conversations, messages, attachments, raw
payloads and MyChat contacts, found by partner, phone number or channel identity, with an audit line."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.phone import to_e164
from ..tools.pipeline import pipeline


class MychatErasureLog(models.Model):
    _name = "mychat.erasure.log"
    _description = "MyChat erasure (audit)"
    _order = "id desc"

    user_id = fields.Many2one(
        "res.users", string="Erased by", readonly=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    criteria = fields.Char(readonly=True, help="What identified the customer (masked).")
    contact_count = fields.Integer(string="Contacts", readonly=True)
    conversation_count = fields.Integer(string="Conversations", readonly=True)
    message_count = fields.Integer(string="Messages", readonly=True)
    attachment_count = fields.Integer(string="Attachments", readonly=True)
    event_count = fields.Integer(string="Raw payloads", readonly=True)
    summary = fields.Text(readonly=True)

    @api.depends("criteria", "date")
    def _compute_display_name(self):
        for log in self:
            log.display_name = _("Erasure of %(who)s", who=log.criteria or "")


class MychatErasure(models.TransientModel):
    _name = "mychat.erasure"
    _description = "MyChat: erase a customer's data"

    mode = fields.Selection(
        [("partner", "Customer"), ("phone", "Phone number"), ("identity", "Channel identity")],
        default="partner",
        required=True,
    )
    partner_id = fields.Many2one("res.partner", string="Customer")
    phone = fields.Char()
    channel_id = fields.Many2one("mychat.channel", string="Channel")
    external_id = fields.Char(string="Identity on the channel", help="wa_id, PSID, Telegram user id, phone…")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and self.env.context.get("active_id"):
            res.update(mode="partner", partner_id=self.env.context["active_id"])
        return res

    def _mychat_contacts(self):
        self.ensure_one()
        Contact = self.env["mychat.contact"].sudo().with_context(active_test=False)
        if self.mode == "partner":
            if not self.partner_id:
                raise UserError(_("Choose the customer whose data is erased."))
            return Contact.search([("partner_id", "child_of", self.partner_id.commercial_partner_id.id)])
        if self.mode == "phone":
            e164 = to_e164(self.phone, self.env.company.country_id.code)
            if not e164:
                raise UserError(_("%s is not a phone number.", self.phone or ""))
            return Contact.search(
                ["|", ("phone", "=", e164), ("external_id", "in", (e164, e164.lstrip("+")))]
            )
        if not (self.channel_id and self.external_id):
            raise UserError(_("Choose the channel and the sender's identity on it."))
        return Contact.search(
            [("channel_id", "=", self.channel_id.id), ("external_id", "=", self.external_id)]
        )

    def _mychat_criteria(self):
        if self.mode == "partner":
            return _("customer #%s", self.partner_id.id)
        if self.mode == "phone":
            digits = "".join(c for c in self.phone or "" if c.isdigit())
            return _("phone …%s", digits[-3:])
        return _("identity on %(channel)s", channel=self.channel_id.name)

    def action_erase(self):
        """Erase now; returns the audit line. Managers only."""
        self.ensure_one()
        if not self.env.user.has_group("mychat_omnichannel.group_mychat_manager"):
            raise UserError(_("Only MyChat managers erase customer data."))
        contacts = self._mychat_contacts()
        env = pipeline(self.env["mychat.conversation"].sudo()).env
        Conversation = env["mychat.conversation"].with_context(active_test=False)
        domain = [("contact_id", "in", contacts.ids)]
        if self.mode == "partner":
            domain = ["|", *domain, ("partner_id", "child_of", self.partner_id.commercial_partner_id.id)]
        conversations = Conversation.search(domain)
        messages = env["mychat.message"].search([("conversation_id", "in", conversations.ids)])
        Attachment = env["ir.attachment"]
        attachments = (
            messages.attachment_ids
            | Attachment.search(
                [("res_model", "=", "mychat.conversation"), ("res_id", "in", conversations.ids)]
            )
            | Attachment.search([("res_model", "=", "mychat.message"), ("res_id", "in", messages.ids)])
        )
        event_count = self._mychat_erase_payloads(contacts)
        counts = {
            "contact_count": len(contacts),
            "conversation_count": len(conversations),
            "message_count": len(messages),
            "attachment_count": len(attachments),
            "event_count": event_count,
        }
        attachments.unlink()
        messages.unlink()
        conversations.unlink()
        contacts.unlink()
        log = (
            self.env["mychat.erasure.log"]
            .sudo()
            .create(
                {
                    "criteria": self._mychat_criteria(),
                    "summary": _(
                        "Erased %(contacts)s contacts, %(conversations)s conversations, "
                        "%(messages)s messages, %(attachments)s attachments and the raw payloads of "
                        "%(events)s events.",
                        contacts=counts["contact_count"],
                        conversations=counts["conversation_count"],
                        messages=counts["message_count"],
                        attachments=counts["attachment_count"],
                        events=event_count,
                    ),
                    **counts,
                }
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mychat.erasure.log",
            "res_id": log.id,
            "view_mode": "form",
            "target": "current",
        }

    def _mychat_erase_payloads(self, contacts):
        """Blank the raw body of every event that names one of the contacts (their id or phone)."""
        total = 0
        self.env["mychat.event"].flush_model(["payload"])
        for contact in contacts:
            needles = {contact.external_id, (contact.phone or "").lstrip("+")} - {"", False, None}
            for needle in needles:
                self.env.cr.execute(
                    SQL(
                        """UPDATE mychat_event SET payload = NULL,
                                  payload_erased_date = now() at time zone 'UTC'
                            WHERE channel_id = %s AND payload IS NOT NULL AND strpos(payload, %s) > 0""",
                        contact.channel_id.id,
                        needle,
                    )
                )
                total += self.env.cr.rowcount
        self.env["mychat.event"].invalidate_model(["payload", "payload_erased_date"])
        return total
