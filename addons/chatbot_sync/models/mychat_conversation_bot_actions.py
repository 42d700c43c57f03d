from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import html2plaintext

MAX_STEPS = 30


class MychatConversation(models.Model):
    """What the bot did in a conversation: its steps, its outcome and the hand-off reason."""

    _inherit = "mychat.conversation"

    bot_outcome = fields.Char(
        string="Bot outcome",
        readonly=True,
        help="How the bot ended the conversation (an external bot's outcome.status: completed, "
        "handoff_requested, …; handoff_requested when an Odoo chatbot forwarded to an operator).",
    )
    bot_step_count = fields.Integer(compute="_compute_bot_steps", string="Bot steps")
    bot_steps = fields.Text(
        compute="_compute_bot_steps",
        string="Steps taken",
        help="One line per step: the Odoo chatbot script's steps with the visitor's answers, else the bot's "
        "messages.",
    )

    def _chatbot_step_lines(self):
        """[text, …]: the answered steps of Odoo chatbot sessions, else the external bot's messages."""
        self.ensure_one()
        lines = []
        sessions = self.env["discuss.channel"].sudo().search([("mychat_conversation_id", "=", self.id)])
        for record in sessions.chatbot_message_ids.sorted("id"):
            step = record.script_step_id
            question = html2plaintext(step.message or "").strip()[:120] or step.name or ""
            answer = record.user_script_answer_id.name or html2plaintext(record.user_raw_answer or "").strip()
            lines.append(f"{question} → {answer}" if answer else question)
        if not lines:
            bot_messages = self.env["mychat.message"].search(
                [("conversation_id", "=", self.id), ("author_kind", "=", "bot")], order="date, id"
            )
            lines = [(m.body or m.message_type or "").strip()[:200] for m in bot_messages]
        return [line for line in lines if line]

    def _compute_bot_steps(self):
        for conv in self:
            lines = conv._chatbot_step_lines() if conv.id and conv.is_chatbot else []
            conv.bot_step_count = len(lines)
            conv.bot_steps = "\n".join(lines[:MAX_STEPS]) or False

    def _chatbot_bot_summary(self):
        """HTML of the bot's actions, for the lead form."""
        self.ensure_one()
        facts = [
            (_("Bot"), self.subject or self.channel_id.name),
            (_("Steps taken"), str(self.bot_step_count)),
            (
                _("Outcome"),
                self.bot_outcome or (_("Finished") if self.bot_completed_date else _("In progress")),
            ),
        ]
        if self.handoff_reason or self.needs_human:
            facts.append((_("Hand-off reason"), self.handoff_reason or _("The customer asked for a human.")))
        head = Markup("").join(Markup("<li><strong>%s</strong>: %s</li>") % fact for fact in facts)
        steps = Markup("").join(Markup("<li>%s</li>") % line for line in (self.bot_steps or "").splitlines())
        return Markup("<div class='o_mychat_bot_summary'><ul>%s</ul><ol>%s</ol></div>") % (head, steps)

    @api.model
    def _chatbot_apply_event(self, channel, item):
        conv = super()._chatbot_apply_event(channel, item)
        outcome = getattr(item, "outcome", "")
        if outcome and conv.bot_outcome != outcome:
            conv.bot_outcome = outcome
        return conv

    def _chatbot_request_handoff(self, reason="", go_live=True):
        res = super()._chatbot_request_handoff(reason=reason, go_live=go_live)
        if res and not self.bot_outcome:
            self.bot_outcome = "handoff_requested"
        return res
