from odoo import models
from odoo.tools import SQL


class MychatReportMedian(models.AbstractModel):
    """Adds a ``median`` aggregator (``fname:median``) for the pivot and graph views of MyChat's reports
    (PostgreSQL's ``percentile_cont``), next to Odoo's sum / avg / min / max."""

    _name = "mychat.report.median"
    _description = "MyChat report median aggregator"

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if func == "median" and fname in self._fields:
            return SQL(
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, fname, query),
            )
        return super()._read_group_select(aggregate_spec, query)
