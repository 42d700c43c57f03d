from . import main
from . import livechat_guard
