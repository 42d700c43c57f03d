"""What the scripts in bench/ and scripts/ share: where the repository and Odoo are, and MyChat's webhook
signatures (``addons/mychat_omnichannel/tools/signatures.py``, loaded from its file, so that signing a
body needs no Odoo import).

From a script in ``scripts/``: ``from mychat_dev import signatures``. From ``bench/``::

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from mychat_dev import REPO, addons_path, signatures
"""

import importlib.util
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def addons_path():
    """Odoo's addons folders ($ODOO_ADDONS, else found next to the importable ``odoo``, as
    scripts/odoo_env.sh does) followed by this repository's, as ``--addons-path`` takes them."""
    if os.environ.get("ODOO_ADDONS"):
        paths = [os.path.abspath(p) for p in os.environ["ODOO_ADDONS"].split(",") if p]
    else:
        import odoo.addons  # only to locate Odoo's own addons

        paths = []
        for path in odoo.addons.__path__:
            paths.append(os.path.abspath(path))
            sibling = os.path.abspath(os.path.join(path, os.pardir, os.pardir, "addons"))
            if os.path.isdir(os.path.join(sibling, "web")):
                paths.append(sibling)
    paths.append(str(REPO / "addons"))
    return ",".join(dict.fromkeys(p for p in paths if os.path.isdir(p)))


def _load_signatures():
    path = REPO / "addons" / "mychat_omnichannel" / "tools" / "signatures.py"
    spec = importlib.util.spec_from_file_location("mychat_signatures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signatures = _load_signatures()
