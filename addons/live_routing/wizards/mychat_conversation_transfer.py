from odoo import api, fields, models
from odoo.exceptions import UserError


class MychatConversationTransfer(models.TransientModel):
    _name = "mychat.conversation.transfer"
    _description = "MyChat: transfer or invite"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade")
    current_user_id = fields.Many2one(related="conversation_id.user_id", string="Current agent")
    mode = fields.Selection(
        [("transfer", "Transfer (hand over)"), ("invite", "Invite (help, keep it)")],
        default="transfer",
        required=True,
    )
    user_id = fields.Many2one("res.users", string="Colleague", domain=[("share", "=", False)])
    user_availability = fields.Selection(related="user_id.mychat_availability", string="Their status")
    team_id = fields.Many2one(
        "crm.team", string="Team", help="Transfer to a team: its routing picks the agent."
    )
    note = fields.Text(help="Context for the colleague; kept as an internal note.")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "mychat.conversation" and "conversation_id" in fields_list:
            res.setdefault("conversation_id", self.env.context.get("active_id"))
        return res

    def action_confirm(self):
        self.ensure_one()
        conv = self.conversation_id
        if not self.user_id and not self.team_id:
            raise UserError(self.env._("Choose a colleague or a team."))
        if self.mode == "invite" and not self.user_id:
            raise UserError(self.env._("Choose the colleague to invite."))
        if self.user_id and self.user_id == conv.user_id:
            raise UserError(self.env._("%s already has this conversation.", self.user_id.name))
        previous = conv.user_id
        who = self.env.user.name
        if self.note:
            conv.action_post_note(self.note)
        if self.mode == "invite":
            conv.mychat_invited_user_ids = [fields.Command.link(self.user_id.id)]
            why = self.env._("%(who)s invited %(user)s.", who=who, user=self.user_id.name)
            conv._mychat_log(
                "invite",
                self.user_id,
                why,
                context={"team": conv.team_id},
                previous=previous,
                outcome="notified",
            )
            self.user_id._bus_send(
                "mychat/conversation",
                {
                    "kind": "invite",
                    "conversation_id": conv.id,
                    "name": conv.display_name,
                    "preview": self.note or "",
                },
            )
            return {"type": "ir.actions.act_window_close"}
        if self.user_id:
            team = self.team_id or conv.team_id
            conv.with_context(mychat_routing=True).write(
                {
                    "user_id": self.user_id.id,
                    "team_id": team.id,
                    "mychat_queued_since": False,
                    "mychat_routing_pending": False,
                    "mychat_assigned_at": fields.Datetime.now(),
                }
            )
            reason = self.env._(
                "%(who)s transferred it from %(from)s.", who=who, **{"from": previous.name or "-"}
            )
            if self.note:
                reason += " " + self.env._("Note: %s", self.note)
            conv._mychat_log("transfer", self.user_id, reason, context={"team": team}, previous=previous)
            conv._mychat_notify("assigned")
        else:
            conv.sudo()._mychat_route_one(kind="transfer", team=self.team_id, exclude=tuple(previous.ids))
        return {"type": "ir.actions.act_window_close"}
