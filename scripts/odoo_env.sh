#!/usr/bin/env bash
# Locate the Odoo 19.0 install MyChat runs on, and print shell assignments:
#   ODOO_PYTHON  the interpreter that imports odoo
#   ODOO_ADDONS  Odoo's own addons folders (comma-separated)
# Lookup order: $ODOO_PATH (an Odoo source tree), the `odoo` command on PATH, an importable `odoo`
# in python3. Prints one clear line on stderr and exits 1 when none is found.
set -euo pipefail

fail() { echo "mychat: $*" >&2; exit 1; }

python=""
if [ -n "${ODOO_PATH:-}" ]; then
    [ -f "$ODOO_PATH/odoo/release.py" ] || fail "ODOO_PATH=$ODOO_PATH is not an Odoo source tree (no odoo/release.py)."
    python="${ODOO_PYTHON:-python3}"
    export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
elif [ -n "${ODOO_PYTHON:-}" ]; then
    python="$ODOO_PYTHON"
elif command -v odoo >/dev/null 2>&1; then
    # the console script's shebang names the interpreter (a virtualenv's python)
    script=$(readlink -f "$(command -v odoo)")
    python=$(head -n 1 "$script" | sed -n 's/^#! *//p' | awk '{print $1}')
    [ -x "$python" ] || python=python3
elif python3 -c 'import odoo.release' >/dev/null 2>&1; then
    python=python3
else
    fail "Odoo 19.0 not found: install it and put its 'odoo' command on PATH, or set ODOO_PATH to its source tree (see README)."
fi

info=$("$python" - <<'PY' 2>/dev/null
import os
import odoo.release as r
import odoo.addons
paths = []
for p in odoo.addons.__path__:
    paths.append(os.path.abspath(p))
    sibling = os.path.abspath(os.path.join(p, os.pardir, os.pardir, "addons"))
    if os.path.isdir(os.path.join(sibling, "web")):
        paths.append(sibling)
def has_modules(p):
    # Odoo's own folders, and site-packages/odoo/addons where addons installed from PyPI (OCA wheels) land
    return any(os.path.isfile(os.path.join(p, name, "__manifest__.py")) for name in os.listdir(p))
paths = [p for p in dict.fromkeys(paths) if os.path.isdir(p) and has_modules(p)]
print(f"{r.version_info[0]} {','.join(paths)}")
PY
) || fail "'$python' cannot import odoo: install Odoo 19.0's requirements in that environment (see README)."
version=${info%% *}
[ "$version" = "19" ] || fail "Odoo $version found through '$python', MyChat needs 19.0."
echo "ODOO_PYTHON=$python"
echo "ODOO_ADDONS=${info#* }"
[ -n "${ODOO_PATH:-}" ] && echo "PYTHONPATH=$PYTHONPATH"
exit 0
