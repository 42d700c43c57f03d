from . import chatbot
