from . import main
from . import mail_thread
from . import livechat_guard
