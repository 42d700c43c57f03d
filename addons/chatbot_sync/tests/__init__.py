from . import test_chatbot_payload
from . import test_chatbot_webhook
from . import test_livechat_chatbot
from . import test_live_mode
from . import test_tour
from . import test_lead_bot_data
