from odoo import fields, models


class MychatChannel(models.Model):
    _inherit = "mychat.channel"

    handoff_message = fields.Text(
        string="Hand-off acknowledgement",
        translate=True,
        help="Sent to the customer when a bot hands the conversation to a human. Empty: on external bot "
        "channels nothing (the bot tells its own customer), elsewhere the text of the settings.",
    )

    def _chatbot_wants_auto_messages(self):
        """Whether the channel asks for automatic messages in bot conversations (live_routing's option)."""
        self.ensure_one()
        return bool(self._fields.get("auto_message_bots") and self.auto_message_bots)
