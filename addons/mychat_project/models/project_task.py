from odoo import api, fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    mychat_conversation_ids = fields.Many2many(
        "mychat.conversation",
        "mychat_conversation_project_task_rel",
        "task_id",
        "conversation_id",
        string="Conversations",
        copy=False,
        help="The MyChat conversations this task was opened from or linked to.",
    )
    mychat_conversation_count = fields.Integer(compute="_compute_mychat_conversation_count", string="Chats")
    mychat_data_ids = fields.Many2many(
        "mychat.conversation.data",
        compute="_compute_mychat_data_ids",
        string="Collected data",
        help="What the bot, a form or an agent collected in the task's conversations, as it is now.",
    )

    @api.depends("mychat_conversation_ids.data_ids")
    def _compute_mychat_data_ids(self):
        for task in self:
            task.mychat_data_ids = task.mychat_conversation_ids.data_ids

    @api.depends("mychat_conversation_ids")
    def _compute_mychat_conversation_count(self):
        for task in self:
            task.mychat_conversation_count = len(task.mychat_conversation_ids)

    def action_view_mychat_conversations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mychat_omnichannel.mychat_conversation_action"
        )
        action["domain"] = [("id", "in", self.mychat_conversation_ids.ids)]
        action["context"] = {}
        if len(self.mychat_conversation_ids) == 1:
            action.update(res_id=self.mychat_conversation_ids.id, view_mode="form", views=[(False, "form")])
        return action
