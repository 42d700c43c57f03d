from . import mychat_lead_link
from . import mychat_start_conversation
