from . import mychat_ticket_wizard
