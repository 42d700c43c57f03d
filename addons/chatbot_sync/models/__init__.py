from . import mychat_channel
from . import mychat_conversation
from . import discuss_channel
from . import chatbot_message
from . import chatbot_script_step
from . import res_config_settings
from . import mychat_script_reply
