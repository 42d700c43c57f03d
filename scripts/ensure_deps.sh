#!/usr/bin/env bash
# Install what MyChat and its tests need into the Odoo interpreter ($1), and the Debian packages the
# browser tests use. Idempotent: a second run installs nothing.
set -euo pipefail
fail() { echo "mychat: $*" >&2; exit 1; }
python="$1"; shift
here=$(cd "$(dirname "$0")/.." && pwd)

reqs=(-r "$here/requirements.txt")
[ "${1:-}" = "--test" ] && reqs+=(-r "$here/test-requirements.txt")
if ! "$python" - "${reqs[@]}" <<'PY' >/dev/null 2>&1
import sys
from importlib.metadata import version
from pathlib import Path
wanted = []
args = sys.argv[1:]
for flag, path in zip(args[::2], args[1::2]):
    for line in Path(path).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            wanted.append(line)
for req in wanted:
    name, _, pin = req.partition("==")
    if version(name) != pin:
        sys.exit(1)
PY
then
    echo "mychat: installing Python requirements into $python"
    # Odoo addons from PyPI (odoo-addon-*, e.g. OCA's helpdesk_mgmt) require the `odoo` distribution, which
    # a source install does not register: they are installed without dependencies, the rest as usual.
    plain=$(mktemp)
    addons=()
    for ((i = 1; i < ${#reqs[@]}; i += 2)); do
        grep -v -E '^[[:space:]]*odoo-addon-' "${reqs[i]}" >>"$plain" || true
        while read -r pkg; do addons+=("$pkg"); done < <(grep -o -E '^[[:space:]]*odoo-addon-[^[:space:]#]+' "${reqs[i]}" | tr -d ' ' || true)
    done
    "$python" -m pip install -q -r "$plain" || fail "pip could not install ${reqs[*]}."
    rm -f "$plain"
    if [ "${#addons[@]}" -gt 0 ]; then
        "$python" -m pip install -q --no-deps "${addons[@]}" || fail "pip could not install ${addons[*]}."
    fi
fi

if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || fail "browser tests need Chromium: install the 'chromium' package."
    echo "mychat: installing Chromium (Debian package) for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        || fail "could not install Chromium."
fi

# Odoo builds the right-to-left stylesheets (Hebrew, Arabic) with rtlcss; without it RTL pages render left-to-right.
if ! command -v rtlcss >/dev/null 2>&1; then
    if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "mychat: installing npm (Debian package) for rtlcss"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null \
            || fail "could not install npm."
    fi
    command -v npm >/dev/null 2>&1 || fail "Hebrew and Arabic need rtlcss: install npm, then 'npm install -g rtlcss'."
    echo "mychat: installing rtlcss (npm) for the right-to-left stylesheets"
    npm install -g -s rtlcss@4.3.0 >/dev/null || fail "could not install rtlcss."
fi
