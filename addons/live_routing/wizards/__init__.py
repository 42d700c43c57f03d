from . import mychat_conversation_transfer
