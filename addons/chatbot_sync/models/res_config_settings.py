from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    chatbot_live_inactivity_minutes = fields.Integer(
        string="Live mode ends after (minutes)",
        config_parameter="chatbot_sync.live_inactivity_minutes",
        default=60,
        help="Live mode turns itself off this long after the last agent message (each one restarts it).",
    )
    chatbot_handoff_email = fields.Char(
        string="Hand-off email",
        config_parameter="chatbot_sync.handoff_email",
        help="Who is emailed when a customer asks for a human.",
    )
    chatbot_handoff_phone = fields.Char(
        string="Hand-off phone",
        config_parameter="chatbot_sync.handoff_phone",
        help="Who gets an SMS when a customer asks for a human (MyChat SMS channel, else Odoo SMS).",
    )
    chatbot_handoff_ack = fields.Char(
        string="Acknowledgement",
        config_parameter="chatbot_sync.handoff_ack",
        help="Sent to the customer when they ask for a human.",
    )
    chatbot_keep_script_without_operator = fields.Boolean(
        string="Odoo chatbots go on when nobody is online",
        config_parameter="chatbot_sync.keep_script_without_operator",
        help="A forward-to-operator step that finds no operator flags the chat and lets the script run its "
        "next steps (e.g. ask for an email). Unchecked: the chat switches to live mode and the script waits.",
    )
