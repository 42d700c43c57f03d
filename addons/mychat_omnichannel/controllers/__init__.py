from . import main
from . import media
