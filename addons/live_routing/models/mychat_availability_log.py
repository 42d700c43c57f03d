from odoo import api, fields, models

from .res_users import AVAILABILITY


class MychatAvailabilityLog(models.Model):
    """One period of an agent's MyChat availability: opened when ``res.users.mychat_availability``
    changes, closed by the next change."""

    _name = "mychat.availability.log"
    _description = "MyChat Agent Availability Period"
    _order = "date_from desc, id desc"
    _rec_name = "availability"

    user_id = fields.Many2one("res.users", string="Agent", required=True, index=True, ondelete="cascade")
    availability = fields.Selection(AVAILABILITY, required=True)
    date_from = fields.Datetime(string="From", required=True, default=fields.Datetime.now, index=True)
    date_to = fields.Datetime(string="To", index="btree_not_null", help="Empty: still in this state.")
    duration_seconds = fields.Integer(
        string="Duration (s)", compute="_compute_duration_seconds", help="Up to now for the open period."
    )

    @api.depends("date_from", "date_to")
    def _compute_duration_seconds(self):
        now = fields.Datetime.now()
        for log in self:
            log.duration_seconds = int(((log.date_to or now) - log.date_from).total_seconds())

    @api.model
    def _mychat_record(self, users, availability, when=None):
        """Close the open period of each of ``users`` and open one in ``availability``."""
        when = when or fields.Datetime.now()
        self.sudo().search([("user_id", "in", users.ids), ("date_to", "=", False)]).write({"date_to": when})
        return self.sudo().create(
            [{"user_id": user.id, "availability": availability, "date_from": when} for user in users]
        )
