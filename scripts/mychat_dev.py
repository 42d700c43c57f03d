"""What the scripts in bench/ and scripts/ share: where the repository and Odoo are (as scripts/odoo_env.sh
finds it), and MyChat's webhook signatures (``addons/mychat_omnichannel/tools/signatures.py``, loaded from
its file, so that signing a body needs no Odoo import).

From a script in ``scripts/``: ``from mychat_dev import signatures``. From ``bench/``::

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from mychat_dev import REPO, addons_path, signatures
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


def _load_signatures():
    path = REPO / "addons" / "mychat_omnichannel" / "tools" / "signatures.py"
    spec = importlib.util.spec_from_file_location("mychat_signatures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signatures = _load_signatures()
