import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
ADDON_NAMES = ("mychat_omnichannel", "chatbot_sync", "live_routing", "mychat_project", "mychat_helpdesk")


def manifest(addon):
    return ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())


@pytest.fixture(params=ADDON_NAMES)
def addon(request):
    return request.param
