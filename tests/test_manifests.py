import re

from conftest import ADDON_NAMES, ADDONS, ROOT, manifest


def test_every_addon_is_listed():
    assert sorted(p.name for p in ADDONS.iterdir() if (p / "__manifest__.py").exists()) == sorted(ADDON_NAMES)


def test_manifest_keys(addon):
    m = manifest(addon)
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", m["version"]), m["version"]
    assert m["license"] in ("LGPL-3", "AGPL-3")
    assert m["author"] == "MyChat"
    assert "description" not in m, "readme/ replaces the description key"
    assert m["summary"] and "\n" not in m["summary"]


def test_dependencies_follow_the_contract():
    assert {"crm", "im_livechat", "phone_validation"} <= set(manifest("mychat_omnichannel")["depends"])
    assert {"mychat_omnichannel", "crm_livechat"} <= set(manifest("chatbot_sync")["depends"])
    assert {"mychat_omnichannel", "resource"} <= set(manifest("live_routing")["depends"])
    assert {"mychat_omnichannel", "project"} <= set(manifest("mychat_project")["depends"])
    assert {"mychat_omnichannel", "helpdesk_mgmt"} <= set(manifest("mychat_helpdesk")["depends"])
    assert manifest("mychat_project")["auto_install"] and manifest("mychat_helpdesk")["auto_install"]


def test_data_files_exist(addon):
    m = manifest(addon)
    for key in ("data", "demo"):
        for path in m.get(key, []):
            assert (ADDONS / addon / path).is_file(), f"{addon}: {key} file {path} is missing"


def test_external_python_dependencies_are_pinned(addon):
    pinned = {
        line.split("==")[0].strip().lower()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for lib in manifest(addon).get("external_dependencies", {}).get("python", []):
        assert lib.lower() in pinned, f"{lib} used by {addon} is not pinned in requirements.txt"
