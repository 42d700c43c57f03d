from odoo import models

from ..const import TEAM_INBOX_CHANNEL, TEAM_SUBCHANNEL


class IrWebsocket(models.AbstractModel):
    """A team's MyChat news (a conversation nobody is assigned to changed) go out once on the team's bus
    channel, not once per member: a MyChat user's client subscribes to the channels of the sales teams the
    user belongs to (membership read when the client subscribes, i.e. on page load)."""

    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        channels = list(channels)  # do not alter the client's list
        if TEAM_INBOX_CHANNEL in channels:
            channels.remove(TEAM_INBOX_CHANNEL)
            if self.env.user.has_group("mychat_omnichannel.group_mychat_user"):
                # sudo: a user's own team memberships, whatever their access to crm.team.member
                teams = (
                    self.env["crm.team.member"].sudo().search([("user_id", "=", self.env.uid)]).crm_team_id
                )
                channels.extend((team, TEAM_SUBCHANNEL) for team in teams)
        return super()._build_bus_channel_list(channels)
