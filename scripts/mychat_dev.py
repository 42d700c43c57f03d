"""What the scripts in bench/ and scripts/ share: where the repository and Odoo are (as scripts/odoo_env.sh
finds it), MyChat's webhook signatures (``addons/mychat_omnichannel/tools/signatures.py``) and the tests'
WhatsApp body builders (``tests/whatsapp_payloads.py``), each loaded from its file, so that building and
signing a body needs no Odoo import.

From a script in ``scripts/``: ``from mychat_dev import signatures``. From ``bench/``::

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from mychat_dev import REPO, addons_path, signatures, whatsapp_payloads
"""

import importlib.util
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def addons_path():
    """Odoo's addons folders followed by this repository's, as ``--addons-path`` takes them. Odoo's are
    ``$ODOO_ADDONS`` (``make`` sets it), else what scripts/odoo_env.sh finds: the one way Odoo is located."""
    core = os.environ.get("ODOO_ADDONS")
    if not core:
        found = subprocess.run(
            ["bash", str(REPO / "scripts" / "odoo_env.sh")], capture_output=True, text=True, check=True
        ).stdout
        core = next(line.split("=", 1)[1] for line in found.splitlines() if line.startswith("ODOO_ADDONS="))
    paths = [os.path.abspath(p) for p in core.split(",") if p]
    return ",".join(dict.fromkeys([*paths, str(REPO / "addons")]))


def _load(relative, name):
    """A module of the addon loaded from its file (it imports nothing from Odoo)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "addons" / "mychat_omnichannel" / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signatures = _load("tools/signatures.py", "mychat_signatures")
# the tests' builders of WhatsApp Cloud API webhook bodies (notification, text, status …)
whatsapp_payloads = _load("tests/whatsapp_payloads.py", "mychat_whatsapp_payloads")
