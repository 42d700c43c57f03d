from . import mychat_lead_link
