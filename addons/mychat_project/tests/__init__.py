from . import test_project_bridge
