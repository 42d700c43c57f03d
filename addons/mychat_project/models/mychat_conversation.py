from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MychatConversation(models.Model):
    """Service requests as project tasks: open one from a conversation, or link an existing one."""

    _inherit = "mychat.conversation"

    mychat_task_ids = fields.Many2many(
        "project.task",
        "mychat_conversation_project_task_rel",
        "conversation_id",
        "task_id",
        string="Tasks",
        copy=False,
    )
    mychat_task_count = fields.Integer(compute="_compute_mychat_task_count", string="Tasks count")

    @api.depends("mychat_task_ids")
    def _compute_mychat_task_count(self):
        for conv in self:
            conv.mychat_task_count = len(conv.mychat_task_ids)

    def _mychat_default_project(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        return company.mychat_project_id

    def _mychat_task_values(self, project, name=None):
        self.ensure_one()
        return {
            "name": name or self._mychat_request_title(),
            "project_id": project.id,
            "partner_id": self.partner_id.id,
            "description": self._mychat_request_description(),
            "company_id": project.company_id.id or self.company_id.id,
            "mychat_conversation_ids": [fields.Command.link(self.id)],
        }

    def mychat_create_task(self, project_id=None, name=None):
        """Open a task in ``project_id`` (default: the company's MyChat service project) from this
        conversation: its title, customer, collected data and a link to the transcript. Returns the
        task id."""
        self.ensure_one()
        project = (
            self.env["project.project"].browse(project_id) if project_id else self._mychat_default_project()
        )
        if not project.exists():
            raise UserError(_("Choose the service project the task goes to."))
        task = self.env["project.task"].create(self._mychat_task_values(project, name))
        return task.id

    def mychat_link_task(self, task_id):
        """Link an existing task to this conversation. Returns True."""
        self.ensure_one()
        task = self.env["project.task"].browse(task_id)
        if not task.exists():
            raise UserError(_("This task does not exist (any more)."))
        self.mychat_task_ids = [fields.Command.link(task.id)]
        return True

    def mychat_unlink_task(self, task_id):
        self.ensure_one()
        self.mychat_task_ids = [fields.Command.unlink(task_id)]
        return True

    def action_mychat_task_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Task from this conversation"),
            "res_model": "mychat.task.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_conversation_id": self.id},
        }

    def action_view_mychat_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("project.action_view_all_task")
        action["domain"] = [("id", "in", self.mychat_task_ids.ids)]
        action["context"] = {"create": False}
        if len(self.mychat_task_ids) == 1:
            action.update(res_id=self.mychat_task_ids.id, view_mode="form", views=[(False, "form")])
        return action
