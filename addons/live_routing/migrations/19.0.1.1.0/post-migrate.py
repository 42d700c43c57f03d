"""Upgrade to the stored measures: fill them for the conversations that already exist."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["mychat.conversation"]._mychat_backfill_measures()
