from odoo import fields, models


class MychatLeadRule(models.Model):
    _inherit = "mychat.lead.rule"

    rule_type = fields.Selection(selection_add=[("task", "Project task")], ondelete={"task": "set default"})
    mychat_project_id = fields.Many2one(
        "project.project", string="Project", help="Empty: the company's MyChat service project."
    )

    def _mychat_apply_service(self, conversation, message):
        if self.rule_type != "task":
            return super()._mychat_apply_service(conversation, message)
        conversation = conversation.sudo()
        open_task = conversation.mychat_task_ids.filtered(lambda t: not t.is_closed)[:1]
        if open_task:
            return open_task
        project = self.sudo().mychat_project_id or conversation._mychat_default_project()
        if not project:
            return False
        task_id = conversation.mychat_create_task(project.id)
        task = self.env["project.task"].sudo().browse(task_id)
        # the rule's salesperson, or nobody (not the user whose message triggered the rule)
        task.user_ids = [fields.Command.set(self.user_id.ids)]
        return task
