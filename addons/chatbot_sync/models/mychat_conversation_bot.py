from odoo import fields, models


class MychatConversation(models.Model):
    """Which bot had the conversation (contract "Additions › Bots"): the external bot's ``bot.id`` or
    ``chatbot.script,<id>`` for Odoo's own chatbots, and its name, to filter and group by bot."""

    _inherit = "mychat.conversation"

    bot_ref = fields.Char(
        string="Bot reference",
        readonly=True,
        index="btree_not_null",
        help="The external bot's id (bot.id of its events), or chatbot.script,<id> for an Odoo chatbot.",
    )
    bot_name = fields.Char(string="Bot", readonly=True, index="btree_not_null")
