"""Print, as JSON, the msgids of each addon's i18n/<lang>.po that have no translation yet.

Usage: python scripts/i18n_todo.py <lang>     (e.g. he, ar, ru, bg)
"""

import json
import sys
from pathlib import Path

import polib

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def main(lang):
    todo = {}
    for po_path in sorted(ADDONS.glob(f"*/i18n/{lang}.po")):
        po = polib.pofile(str(po_path))
        todo[po_path.parent.parent.name] = [e.msgid for e in po if not e.msgstr.strip() and not e.obsolete]
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
