from odoo import api, fields, models
from odoo.tools import html2plaintext


class MychatScriptReply(models.TransientModel):
    """Send a part of a chatbot script (a step's message and its answer options) as an agent reply."""

    _name = "mychat.script.reply"
    _description = "MyChat: send a chatbot script step"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade")
    step_id = fields.Many2one(
        "chatbot.script.step", string="Script step", required=True, domain="[('message', '!=', False)]"
    )
    body = fields.Text(compute="_compute_body", store=True, readonly=False, required=True)

    @api.depends("step_id")
    def _compute_body(self):
        for wizard in self:
            step = wizard.step_id
            lines = [html2plaintext(step.message or "").strip()]
            lines += [f"{index}. {answer.name}" for index, answer in enumerate(step.answer_ids, start=1)]
            wizard.body = "\n".join(line for line in lines if line)

    def action_send(self):
        self.ensure_one()
        self.conversation_id.send_reply(self.body)
        return {"type": "ir.actions.act_window_close"}
