from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = (
    "mychat_omnichannel",
    "chatbot_sync",
    "live_routing",
    "mychat_project",
    "mychat_helpdesk",
    "spreadsheet_dashboard_mychat",
)
LANGS = ("he", "ar", "ru", "bg")
ADDONS_DIR = Path(__file__).resolve().parents[2]


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every user-facing term of the three addons is translated into Hebrew, Arabic, Russian and Bulgarian."""

    def test_every_term_translated(self):
        missing = []
        for addon in ADDONS:
            terms = {
                row[4] for row in TranslationModuleReader(self.env.cr, modules=[addon]) if row[0] == addon
            }
            self.assertTrue(terms, f"{addon} exports no term")
            for lang in LANGS:
                po_path = ADDONS_DIR / addon / "i18n" / f"{lang}.po"
                self.assertTrue(po_path.is_file(), f"{po_path.relative_to(ADDONS_DIR)} is missing")
                translated = {
                    e.msgid for e in polib.pofile(str(po_path)) if e.msgstr.strip() and not e.obsolete
                }
                missing += [f"{addon}/{lang}: {term!r}" for term in sorted(terms - translated)]
        self.assertFalse(missing, f"{len(missing)} untranslated terms, e.g.:\n" + "\n".join(missing[:30]))

    def test_hebrew_loads(self):
        self.env["res.lang"]._activate_lang("he_IL")
        self.env["ir.module.module"]._load_module_terms(["mychat_omnichannel"], ["he_IL"], overwrite=True)
        menu = self.env.ref("mychat_omnichannel.mychat_conversation_menu").with_context(lang="he_IL")
        self.assertNotEqual(menu.name, "Conversations")
