from odoo import fields, models


class MychatChannel(models.Model):
    """Automatic messages (contract "Additions › Automatic messages"): each is sent at most once per
    conversation, through the normal sending path, stored with author_kind = system."""

    _inherit = "mychat.channel"

    greeting_message = fields.Text(
        translate=True,
        help="Sent once when a conversation starts (at the customer's first message). Empty: none.",
    )
    away_message = fields.Text(
        translate=True,
        help="Sent once when a conversation starts outside the opening hours of its team (else the "
        "company's working hours). {next_opening} becomes the next opening time, in the customer's "
        "language. Empty: none.",
    )
    queue_message = fields.Text(
        string="All agents busy message",
        translate=True,
        help="Sent once when the conversation waits in the team queue during opening hours. {position} "
        "becomes its place in the queue. Empty: none.",
    )
    auto_message_bots = fields.Boolean(
        string="Also in bot conversations",
        help="Send the automatic messages (and the hand-off acknowledgement) in conversations a bot "
        "handles too. Off: a bot tells its own customer; MyChat adds nothing to its transcript.",
    )
