from . import controllers
from . import models
from . import report
from . import wizards


def _post_init_hook(env):
    """Existing conversations get their measures computed from their stored messages."""
    env["mychat.conversation"]._mychat_backfill_measures()
