from . import test_helpdesk_bridge
