"""Capacity per agent across teams: the team lock serialises the decisions of one team only, so an agent
in two teams could be given work by both at once. Each assignment also takes the agent's row lock; a
decision made from a snapshot older than another assignment to that agent queues the conversation."""

from psycopg2.errors import DeadlockDetected, LockNotAvailable, SerializationFailure

from odoo import models
from odoo.tools import SQL


class AgentBusyError(Exception):
    """Another transaction is giving (or gave, after this snapshot) work to this agent."""


class MychatConversation(models.Model):
    _inherit = "mychat.conversation"

    def _mychat_lock_agent(self, user):
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL("UPDATE res_users SET write_date = write_date WHERE id = %s", user.id),
                    log_exceptions=False,
                )
        except (SerializationFailure, LockNotAvailable, DeadlockDetected):
            return False
        return True

    def _mychat_assign(self, user, member, context, skipped, now):
        if not self._mychat_lock_agent(user):
            raise AgentBusyError(user)
        return super()._mychat_assign(user, member, context, skipped, now)

    def _mychat_route_one(
        self, message=None, kind="rule", team=None, exclude=(), after_tier=None, strategy=None, facts=None
    ):
        try:  # the agent is locked before anything of the decision is written (see _mychat_assign)
            return super()._mychat_route_one(
                message=message,
                kind=kind,
                team=team,
                exclude=exclude,
                after_tier=after_tier,
                strategy=strategy,
                facts=facts,
            )
        except AgentBusyError as busy:
            (user,) = busy.args
            self.invalidate_recordset()
            team = team or self.team_id or self.channel_id.team_id
            context = {
                "rule": self.env["mychat.routing.rule"],
                "team": team,
                "strategy": strategy or team.mychat_strategy or "least_busy",
                "kind": kind,
            }
            self._mychat_enqueue(
                context,
                self.env._("Another decision was giving %s work at the same moment: queued.", user.name),
            )
            self.env.ref("live_routing.ir_cron_mychat_routing")._trigger()
            return {"user": self.env["res.users"], "available": 0, "locked": False}
