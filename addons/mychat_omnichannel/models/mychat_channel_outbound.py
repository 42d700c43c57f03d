"""Reaching customers first: start a conversation from a partner, WhatsApp template synchronisation,
consent signals of the providers (Twilio STOP, a Telegram bot blocked, template status webhooks)."""

import logging
from dataclasses import dataclass

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import whatsapp_templates
from ..tools.phone import to_e164
from ..tools.provider_error import ProviderError
from ..tools.telegram import _contact as telegram_contact
from .mychat_conversation import ACTIVE_STATES

_logger = logging.getLogger(__name__)

# channel types a conversation can be started on from a phone number; the others need a sender who wrote
PHONE_CHANNEL_TYPES = ("whatsapp", "sms")
STARTABLE_TYPES = ("whatsapp", "sms", "telegram", "messenger", "instagram")


@dataclass
class ConsentSignal:
    """A provider said the sender opted out (or in): Twilio Advanced Opt-Out, a Telegram bot blocked."""

    contact: object  # InboundContact
    state: str  # opted_out, opted_in
    proof: str = ""


class MychatChannel(models.Model):
    _inherit = "mychat.channel"

    whatsapp_business_account_id = fields.Char(
        string="WhatsApp Business Account ID",
        help="The WABA id that owns the number's message templates (Graph API).",
    )
    campaign_rate = fields.Integer(
        string="Campaign messages per minute",
        default=60,
        help="How many campaign messages this channel sends per minute at most.",
    )
    opt_out_reply = fields.Text(
        string="Opt-out confirmation",
        translate=True,
        help="Sent once when a customer opts out by keyword. Empty: a default text.",
    )
    opt_in_reply = fields.Text(
        string="Opt-in confirmation",
        translate=True,
        help="Sent when a customer opts in by keyword. Empty: a default text.",
    )
    template_ids = fields.One2many("mychat.template", "channel_id", string="Templates")
    template_sync_date = fields.Datetime(string="Templates synchronised on", readonly=True)

    # ------------------------------------------------------------------
    # Reaching a customer
    # ------------------------------------------------------------------

    def _mychat_contact_for(self, partner, create=True):
        """The sender record this channel reaches ``partner`` at: one who wrote before, else (WhatsApp, SMS)
        the partner's phone number. Raises a UserError saying why when there is none."""
        self.ensure_one()
        Contact = self.env["mychat.contact"].sudo()
        contact = Contact.search(
            [("channel_id", "=", self.id), ("partner_id", "=", partner.id)], order="id desc", limit=1
        )
        if contact:
            return contact
        if self.channel_type not in PHONE_CHANNEL_TYPES:
            raise UserError(
                _(
                    "%(partner)s has never written to %(channel)s: a %(type)s conversation can only be "
                    "started with a customer who wrote first.",
                    partner=partner.display_name,
                    channel=self.name,
                    type=dict(self._fields["channel_type"]._description_selection(self.env))[
                        self.channel_type
                    ],
                )
            )
        country = partner.country_id or self.country_id or self.company_id.country_id
        number = to_e164(partner.phone, country.code)
        if not number:
            raise UserError(_("%s has no usable phone number: no address to write to.", partner.display_name))
        external_id = number[1:] if self.channel_type == "whatsapp" else number
        contact = Contact.search([("channel_id", "=", self.id), ("external_id", "=", external_id)], limit=1)
        if contact:
            if not contact.partner_id:
                contact.partner_id = partner
            return contact
        if not create:
            return Contact
        return Contact.create(
            {
                "channel_id": self.id,
                "external_id": external_id,
                "name": partner.name,
                "phone": number,
                "partner_id": partner.id,
            }
        )

    def _mychat_can_reach(self, partner):
        """Whether this channel can write to ``partner`` (an address exists); no side effect."""
        self.ensure_one()
        if not self.active or self.channel_type not in STARTABLE_TYPES:
            return False
        try:
            self._mychat_contact_for(partner, create=False)
        except UserError:
            return False
        return True

    def start_conversation(self, partner_id, body=None, template_id=None, values=None):
        """Write first to a customer: ``body`` as free text where the channel allows it (inside the reply
        window, or a channel without one such as SMS), else the approved template ``template_id`` with
        ``values`` for its variables (a list, or a dict ``{"1": …}``; default: filled from the partner).
        Return the conversation id; raise a UserError saying why when it cannot be sent (no address, no
        consent, window closed without a template)."""
        self.ensure_one()
        partner = self.env["res.partner"].browse(int(partner_id)).exists()
        if not partner:
            raise UserError(_("The customer %s does not exist.", partner_id))
        template = self.env["mychat.template"].browse(int(template_id)).exists() if template_id else None
        conversation, _message = self._mychat_start(partner, body=body, template=template, values=values)
        return conversation.id

    def _mychat_start(self, partner, body=None, template=None, values=None, lead=None, campaign=None):
        """Open (or continue) the partner's conversation on this channel and send; return (conversation,
        message). ``campaign``: the message is part of a campaign, which needs an opt-in."""
        self.ensure_one()
        if not self.active:
            raise UserError(_("The channel %s is archived: nothing can be sent through it.", self.name))
        if self.channel_type not in STARTABLE_TYPES:
            raise UserError(_("A conversation cannot be started on the channel %s.", self.name))
        body = (body or "").strip()
        if not body and not template:
            raise UserError(_("Write a message or choose an approved template."))
        if template and (
            template.status != "approved"
            or template.channel_type != self.channel_type
            or template.channel_id not in (self, self.browse())
        ):
            raise UserError(_("The template %s is not approved for this channel.", template.name))
        contact = self._mychat_contact_for(partner)
        Consent = self.env["mychat.consent"]
        status = Consent._mychat_status(self, partner, contact)
        if status == "opted_out":
            raise UserError(
                _(
                    "%(partner)s opted out of messages on %(channel)s: nothing can be sent.",
                    partner=partner.display_name,
                    channel=self.name,
                )
            )
        marketing = campaign or (template and template.category == "marketing" and not body)
        if marketing and status != "opted_in":
            raise UserError(
                _(
                    "%(partner)s has not opted in to marketing messages on %(channel)s: no consent.",
                    partner=partner.display_name,
                    channel=self.name,
                )
            )
        conversation = self._mychat_conversation_for(contact, lead)
        if body and conversation._mychat_window_open():
            message_id = conversation.send_reply(body)
        elif template:
            if values is None:
                values = template._mychat_fill(partner=partner, lead=lead)
            elif isinstance(values, dict):
                values = [
                    values.get(str(n), values.get(n, "")) for n in range(1, template.variable_count + 1)
                ]
            message_id = conversation.send_template(template.id, values)
        else:
            raise UserError(
                _(
                    "The %(hours)s-hour reply window with %(partner)s is closed: "
                    "choose an approved template.",
                    hours=self._mychat_window_hours(),
                    partner=partner.display_name,
                )
            )
        return conversation, self.env["mychat.message"].browse(message_id)

    def _mychat_conversation_for(self, contact, lead=None):
        """The contact's open conversation, else its last one while the reply window is still open
        (reopened), else a new one assigned to the current user."""
        Conversation = self.env["mychat.conversation"]
        conversation = Conversation.search(
            [("contact_id", "=", contact.id), ("state", "in", ACTIVE_STATES)], order="id desc", limit=1
        )
        if not conversation:
            last = Conversation.search([("contact_id", "=", contact.id)], order="id desc", limit=1)
            if last and self._mychat_window_hours() and last._mychat_window_open():
                last.action_reopen()
                conversation = last
        if not conversation:
            user = self.env.user
            if self.env.context.get("mychat_no_agent") or user._is_superuser() or not user._is_internal():
                user = user.browse()  # routing assigns it at the customer's answer
            conversation = Conversation.create(
                {
                    "channel_id": self.id,
                    "contact_id": contact.id,
                    "team_id": (lead.team_id if lead else self.team_id).id or self.team_id.id,
                    "user_id": user.id,
                    "lead_id": lead.id if lead else False,
                }
            )
            conversation._mychat_on_new()
        elif lead and not conversation.lead_id:
            conversation.lead_id = lead
        return conversation

    # ------------------------------------------------------------------
    # WhatsApp templates
    # ------------------------------------------------------------------

    def action_sync_templates(self):
        """Fetch the WhatsApp Business Account's templates from the Graph API."""
        for channel in self:
            if channel.channel_type != "whatsapp":
                raise UserError(_("Only WhatsApp channels have provider templates."))
            try:
                count = channel._whatsapp_sync_templates()
            except ProviderError as error:
                raise UserError(_("The templates could not be fetched: %s", error)) from error
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%s templates synchronised.", count) if len(self) == 1 else _("Synchronised."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _whatsapp_sync_templates(self):
        """Create or update this channel's templates from ``GET /<WABA id>/message_templates`` (all pages);
        templates the provider no longer lists are archived. Return how many were read."""
        self.ensure_one()
        if not self.whatsapp_business_account_id:
            raise UserError(_("Set the WhatsApp Business Account ID of the channel %s first.", self.name))
        Template = self.env["mychat.template"].sudo().with_context(active_test=False)
        url = f"{self.whatsapp_business_account_id}/message_templates"
        params = {"fields": "id,name,language,status,category,components", "limit": 100}
        seen = Template.browse()
        now = fields.Datetime.now()
        for _page in range(50):
            data = self._whatsapp_request("GET", url, params=params).json()
            for item in data.get("data") or []:
                vals = whatsapp_templates.template_values(item)
                if not vals["body"] or not vals["provider_name"]:
                    continue
                template = self._whatsapp_find_template(
                    vals["external_id"], vals["provider_name"], vals["lang"]
                )
                vals.update(channel_id=self.id, channel_type="whatsapp", synced_date=now)
                if template:
                    vals.pop("name")  # a name given in Odoo is kept
                    if template.header_media_url and "header_media_url" in vals:
                        vals.pop("header_media_url")  # the media chosen in Odoo is kept
                    template.write(vals)
                else:
                    template = Template.create(vals)
                seen |= template
            next_url = (data.get("paging") or {}).get("next")
            if not next_url:
                break
            url, params = next_url, None
        (Template.search([("channel_id", "=", self.id), ("external_id", "!=", False)]) - seen).write(
            {"active": False}
        )
        self.template_sync_date = now
        return len(seen)

    def _whatsapp_find_template(self, external_id, name, lang):
        Template = self.env["mychat.template"].sudo().with_context(active_test=False)
        template = external_id and Template.search(
            [("channel_id", "=", self.id), ("external_id", "=", external_id)], limit=1
        )
        return template or Template.search(
            [
                ("channel_type", "=", "whatsapp"),
                ("channel_id", "in", [self.id, False]),
                ("provider_name", "=", name),
                ("lang", "=", lang),
            ],
            order="channel_id, id",
            limit=1,
        )

    def _whatsapp_apply_template_status(self, change):
        """A ``message_template_status_update`` webhook: the template takes its new status (an unknown
        template is fetched with the others)."""
        template = self._whatsapp_find_template(change.external_id, change.name, change.lang)
        if not template:
            if self.whatsapp_business_account_id and self.sudo().access_token:
                self._whatsapp_sync_templates()
            return
        vals = {}
        if change.event:
            status = whatsapp_templates.STATUSES.get(change.event, template.status)
            vals.update(
                status=status or "disabled", active=status is not None, status_reason=change.reason or False
            )
        if change.category in whatsapp_templates.CATEGORIES:
            vals["category"] = whatsapp_templates.CATEGORIES[change.category]
        if change.external_id and not template.external_id:
            vals["external_id"] = change.external_id
        template.write(vals)

    def _whatsapp_send_template(self, message):
        """Templates are sent with their header (text or media) and buttons."""
        template = message.template_id
        payload = whatsapp_templates.send_body(
            message.conversation_id.contact_id.external_id, template, message.template_values or []
        )
        data = self._whatsapp_request("POST", f"{self.external_account_id}/messages", json=payload).json()
        return (data.get("messages") or [{}])[0].get("id")

    # ------------------------------------------------------------------
    # Provider signals
    # ------------------------------------------------------------------

    def _whatsapp_parse(self, payload):
        changes = whatsapp_templates.parse_status_changes(payload)
        return super()._whatsapp_parse(payload) + changes

    def _mychat_parse(self, payload, event):
        """Provider consent signals beside the messages: Twilio Advanced Opt-Out (``OptOutType`` STOP /
        START on the customer's message; the signal goes first, so the keyword it carries sends no second
        confirmation, Twilio confirms by itself) and Telegram's ``my_chat_member`` in a private chat
        (``kicked``: the customer blocked the bot)."""
        if self.channel_type not in ("sms", "telegram"):
            return super()._mychat_parse(payload, event)
        items = super()._mychat_parse(payload, event)
        if not isinstance(payload, dict):
            return items
        if self.channel_type == "sms":
            kind = (payload.get("OptOutType") or "").upper()
            state = {"STOP": "opted_out", "START": "opted_in"}.get(kind)
            messages = [item for item in items if getattr(item, "contact", None)]
            if state and messages:
                return [ConsentSignal(messages[0].contact, state, payload.get("Body") or kind), *items]
        elif self.channel_type == "telegram":
            update = payload.get("my_chat_member")
            if update and (update.get("chat") or {}).get("type") == "private":
                status = (update.get("new_chat_member") or {}).get("status")
                contact = telegram_contact(update.get("from") or update.get("chat") or {})
                if status == "kicked":
                    items.append(ConsentSignal(contact, "opted_out", _("The customer blocked the bot.")))
        return items

    def _mychat_apply_item(self, item, event):
        if isinstance(item, whatsapp_templates.TemplateStatus):
            return self._whatsapp_apply_template_status(item)
        if isinstance(item, ConsentSignal):
            contact = self.env["mychat.contact"].sudo()._mychat_find_or_create(self, item.contact)
            return self.env["mychat.consent"]._mychat_record(
                self, item.state, "provider", partner=contact.partner_id, contact=contact, proof=item.proof
            )
        return super()._mychat_apply_item(item, event)

    @api.model
    def _mychat_opt_reply(self, state, lang=None):
        """The confirmation of an opt-out / opt-in by keyword, in the customer's language when known."""
        channel = self.with_context(lang=lang) if lang else self
        text = channel.opt_out_reply if state == "opted_out" else channel.opt_in_reply
        if text:
            return text
        if state == "opted_out":
            return channel.env._(
                "You will no longer receive messages from us on this channel. Reply START to subscribe again."
            )
        return channel.env._("You are subscribed to our messages again. Reply STOP to unsubscribe.")
