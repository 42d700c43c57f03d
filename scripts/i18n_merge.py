"""Merge each addon's i18n/<addon>.pot into its i18n/<lang>.po files: new terms are added untranslated,
translations of terms that still exist are kept (whatever their source location), vanished terms dropped.

Usage: python scripts/i18n_merge.py [lang ...]   (default: he ar ru bg)
"""

import sys
from pathlib import Path

import polib

ADDONS = Path(__file__).resolve().parent.parent / "addons"
LANGS = sys.argv[1:] or ["he", "ar", "ru", "bg"]
LANG_NAMES = {"he": "Hebrew", "ar": "Arabic", "ru": "Russian", "bg": "Bulgarian"}


def merge(pot_path, po_path, lang):
    pot = polib.pofile(str(pot_path))
    old = polib.pofile(str(po_path)) if po_path.exists() else None
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old or [] if e.msgstr and not e.obsolete}
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(pot.metadata)
    po.metadata.update(
        {
            "Language": lang,
            "Language-Team": LANG_NAMES.get(lang, lang),
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    missing = 0
    for entry in pot:
        msgstr = known.get((entry.msgctxt, entry.msgid), "")
        missing += not msgstr
        po.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgstr=msgstr,
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=[f for f in entry.flags if f != "fuzzy"],
            )
        )
    po.save(str(po_path))
    return len(pot), missing


for pot_path in sorted(ADDONS.glob("*/i18n/*.pot")):
    for lang in LANGS:
        total, missing = merge(pot_path, pot_path.parent / f"{lang}.po", lang)
        print(f"{pot_path.parent.parent.name}/{lang}.po: {total} terms, {missing} untranslated")
