from . import mychat_report_median
from . import mychat_report_conversation
from . import mychat_report_agent
