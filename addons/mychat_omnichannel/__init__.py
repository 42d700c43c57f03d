from . import controllers
from . import models
from . import wizards
from .tools import log_redact

log_redact.install()
