from . import project_task
from . import mychat_conversation
from . import mychat_lead_rule
from . import res_company
from . import res_partner
