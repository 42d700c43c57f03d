from . import chatbot_payload
