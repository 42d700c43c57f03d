from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """The event cron's interval becomes one minute: the longest an event stored just as a run ends waits
    when no other webhook follows (its data file is ``noupdate``)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("mychat_omnichannel.ir_cron_process_events", raise_if_not_found=False)
    if cron and (cron.interval_type, cron.interval_number) == ("minutes", 5):
        cron.interval_number = 1
