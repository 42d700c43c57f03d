from . import res_users
from . import crm_team
from . import crm_team_member
from . import mychat_routing_rule
from . import mychat_assignment_log
from . import mychat_conversation
from . import mychat_conversation_escalation
from . import im_livechat_channel
