"""The connector seam, read from the source: provider hooks are overridden behind a channel-type guard, and
no method is looked up by a name built at run time (see addons/mychat_omnichannel/readme/CONTRIBUTING.md)."""

import ast

from conftest import ADDONS

HUB = ADDONS / "mychat_omnichannel" / "models" / "mychat_channel.py"
# every file that extends mychat.channel with a connector
CONNECTORS = sorted(ADDONS.glob("mychat_omnichannel/models/mychat_channel_*.py")) + [
    ADDONS / "chatbot_sync" / "models" / "mychat_channel.py"
]
# hooks that dispatch on isinstance(item, …) rather than on the channel type
ITEM_HOOKS = {"_mychat_apply_item"}


def _hooks():
    """Names of the provider hooks the hub documents (its ``_mychat_*`` methods before the helpers)."""
    tree = ast.parse(HUB.read_text())
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    source = HUB.read_text().splitlines()
    helpers_line = next(i for i, line in enumerate(source, 1) if "# Helpers for connectors" in line)
    return {
        node.name
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("_mychat_")
        and node.lineno < helpers_line
    }


def _is_guard(statement):
    """``if self.channel_type <op> …: return super().<hook>(…)`` (or ``return False`` for a hook a
    connector defines)."""
    if not isinstance(statement, ast.If) or "self.channel_type" not in ast.unparse(statement.test):
        return False
    body = statement.body
    return len(body) == 1 and isinstance(body[0], ast.Return)


def test_hub_documents_the_provider_hooks():
    hooks = _hooks()
    assert {
        "_mychat_authenticate",
        "_mychat_parse",
        "_mychat_download",
        "_mychat_send",
        "_mychat_recall",
        "_mychat_classify_error",
        "_mychat_webhook_ack",
        "_mychat_composer_features",
        "_mychat_window_hours",
        "_mychat_split_outbound",
    } <= hooks
    tree = ast.parse(HUB.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in hooks:
            assert ast.get_docstring(node), f"hook {node.name} is not documented"


def test_connectors_override_hooks_behind_a_guard():
    hooks = _hooks() - ITEM_HOOKS
    overridden = set()
    for path in CONNECTORS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name in hooks:
                body = node.body[1:] if ast.get_docstring(node) else node.body
                assert body and _is_guard(body[0]), f"{path.name}: {node.name} has no channel-type guard"
                overridden.add(node.name)
    assert {"_mychat_authenticate", "_mychat_parse", "_mychat_send"} <= overridden


def test_no_method_looked_up_by_a_built_name():
    for path in ADDONS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.JoinedStr)
            ):
                raise AssertionError(f"{path.relative_to(ADDONS)}:{node.lineno}: getattr with a built name")
