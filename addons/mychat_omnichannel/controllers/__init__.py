from . import main
from . import media
from . import mail_thread
from . import livechat_guard
from . import optin
