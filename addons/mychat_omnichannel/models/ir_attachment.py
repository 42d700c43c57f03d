from odoo import models
from odoo.fields import Command


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _mychat_check_handed_in(self, commands_list):
        """Raise AccessError unless the current user may read every attachment named in ``commands_list``
        (x2many commands or plain ids, one value per record). Checked in the user's own environment,
        before anything copies or sends the files; the superuser and the pipeline skip nothing here."""
        ids = set()
        for commands in commands_list:
            for command in commands or ():
                if isinstance(command, int):
                    ids.add(command)
                elif isinstance(command, (list, tuple)) and command:
                    if command[0] == Command.LINK:
                        ids.add(command[1])
                    elif command[0] == Command.SET:
                        ids.update(command[2] or ())
        if ids and not self.env.su:
            self.browse(sorted(ids)).check_access("read")
