from . import mychat_task_wizard
