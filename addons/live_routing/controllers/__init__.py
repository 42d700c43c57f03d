from . import availability
