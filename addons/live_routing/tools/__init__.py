from . import strategies
from . import working_hours
