from odoo import api, fields, models


class MychatTaskWizard(models.TransientModel):
    """Open a task in a chosen service project from a conversation, or link an existing task."""

    _name = "mychat.task.wizard"
    _description = "MyChat: task from a conversation"

    conversation_id = fields.Many2one("mychat.conversation", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="conversation_id.partner_id")
    mode = fields.Selection(
        [("create", "Create a new task"), ("link", "Link an existing task")], default="create", required=True
    )
    project_id = fields.Many2one(
        "project.project",
        string="Service project",
        compute="_compute_project_id",
        store=True,
        readonly=False,
    )
    name = fields.Char(string="Title", compute="_compute_name", store=True, readonly=False)
    task_id = fields.Many2one("project.task", string="Task")
    remember_project = fields.Boolean(
        string="Default project", help="Use this project for the next tasks from conversations."
    )

    @api.depends("conversation_id")
    def _compute_project_id(self):
        for wizard in self:
            wizard.project_id = wizard.conversation_id and wizard.conversation_id._mychat_default_project()

    @api.depends("conversation_id")
    def _compute_name(self):
        for wizard in self:
            wizard.name = wizard.conversation_id and wizard.conversation_id._mychat_request_title()

    def action_confirm(self):
        self.ensure_one()
        conversation = self.conversation_id
        if self.mode == "link":
            conversation.mychat_link_task(self.task_id.id)
            task_id = self.task_id.id
        else:
            task_id = conversation.mychat_create_task(self.project_id.id, self.name)
            if self.remember_project:
                (conversation.company_id or self.env.company).sudo().mychat_project_id = self.project_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "project.task",
            "res_id": task_id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
