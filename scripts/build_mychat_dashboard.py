"""Write addons/spreadsheet_dashboard_mychat/data/files/mychat_dashboard.json, the MyChat spreadsheet
dashboard (o-spreadsheet data, the format of Odoo's own dashboards). Run it after changing the layout:
    python3 scripts/build_mychat_dashboard.py
"""

import json
from pathlib import Path

MODEL = "mychat.report.conversation"
ACTION = "live_routing.mychat_report_conversation_action"
PERIOD = "c6a3e5b0-mychat-period"
CHANNEL = "c6a3e5b0-mychat-channel"
TEAM = "c6a3e5b0-mychat-team"
AGENT = "c6a3e5b0-mychat-agent"
OUT = (
    Path(__file__).resolve().parent.parent
    / "addons/spreadsheet_dashboard_mychat/data/files/mychat_dashboard.json"
)

MEASURES = [
    ("__count", "sum"),
    ("first_response_minutes", "avg"),
    ("first_response_working_minutes", "avg"),
    ("resolution_hours", "avg"),
    ("answered_in_sla", "avg"),
    ("bot_contained", "avg"),
    ("handoff_count", "sum"),
    ("message_count", "avg"),
]


def matching(offset=0):
    period = {"chain": "start_date", "type": "datetime"}
    if offset is not None:
        period["offset"] = offset
    return {
        PERIOD: period,
        CHANNEL: {"chain": "channel_id", "type": "many2one"},
        TEAM: {"chain": "team_id", "type": "many2one"},
        AGENT: {"chain": "user_id", "type": "many2one"},
    }


def pivot(pid, name, measures, rows=(), offset=0, sort=None, domain=()):
    return {
        "type": "ODOO",
        "fieldMatching": matching(offset),
        "context": {},
        "domain": list(domain),
        "id": pid,
        "measures": [
            {"id": f if f == "__count" else f"{f}:{agg}", "fieldName": f, "aggregator": agg}
            for f, agg in measures
        ],
        "model": MODEL,
        "name": name,
        "sortedColumn": {"domain": [], "order": "desc", "measure": sort} if sort else None,
        "formulaId": pid,
        "columns": [],
        "rows": [{"fieldName": r, "order": "asc"} for r in rows],
    }


def link(text, view, group_by, measure="__count"):
    context = {"group_by": [group_by]}
    if view == "graph":
        context.update(graph_measure=measure, graph_mode="bar", graph_groupbys=[group_by])
    else:
        context.update(
            pivot_measures=["__count", measure], pivot_row_groupby=[group_by], pivot_column_groupby=[]
        )
    payload = {
        "viewType": view,
        "action": {
            "xmlId": ACTION,
            "domain": [],
            "context": context,
            "modelName": MODEL,
            "views": [[False, "graph"], [False, "pivot"], [False, "list"], [False, "search"]],
        },
        "threshold": 0,
        "name": text,
    }
    return f"[{text}](odoo://view/{json.dumps(payload, separators=(',', ':'))})"


def scorecard(fid, x, title, key, baseline=None, fmt_up="#00A04A", fmt_down="#DC6965"):
    data = {
        "type": "scorecard",
        "title": {"text": title, "bold": True, "color": "#434343"},
        "background": "#EFF6FF",
        "keyValue": key,
        "humanize": True,
        "baselineColorUp": fmt_up,
        "baselineColorDown": fmt_down,
        "baselineMode": "percentage",
        "baselineDescr": {"text": "vs. before"},
    }
    if baseline:
        data["baseline"] = baseline
    return {
        "id": fid,
        "col": 0,
        "row": 1,
        "offset": {"x": x, "y": 4},
        "width": 180,
        "height": 102,
        "tag": "chart",
        "data": data,
    }


def odoo_chart(fid, row, kind, title, group_by, measure="__count", width=550, x=0):
    return {
        "id": fid,
        "col": 0,
        "row": row,
        "offset": {"x": x, "y": 10},
        "width": width,
        "height": 320,
        "tag": "chart",
        "data": {
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#FFFFFF",
            "legendPosition": "none",
            "metaData": {
                "groupBy": [group_by],
                "measure": measure,
                "order": None,
                "resModel": MODEL,
                "mode": "line" if kind == "odoo_line" else "bar",
            },
            "searchParams": {
                "comparison": None,
                "context": {},
                "domain": [],
                "groupBy": [group_by],
                "orderBy": [],
            },
            "type": kind,
            "dataSets": [],
            "verticalAxisPosition": "left",
            "stacked": False,
            "fieldMatching": matching(None),
        },
    }


def build():
    cells = {}
    data = {}
    # Data sheet: current vs previous period (pivots 1 and 2)
    labels = [
        "Conversations",
        "Avg. first response (min)",
        "Avg. first response, working hours (min)",
        "Avg. resolution (h)",
        "Answered within SLA (%)",
        "Bot containment (%)",
        "Hand-offs",
        "Messages per conversation",
    ]
    data["A1"], data["B1"], data["C1"] = '=_t("KPI")', '=_t("Current")', '=_t("Previous")'
    for index, ((field, agg), label) in enumerate(zip(MEASURES, labels, strict=True), start=2):
        measure = field if field == "__count" else f"{field}:{agg}"
        data[f"A{index}"] = f'=_t("{label}")'
        data[f"B{index}"] = f'=PIVOT.VALUE(1,"{measure}")'
        data[f"C{index}"] = f'=PIVOT.VALUE(2,"{measure}")'
        data[f"D{index}"] = f"=ROUND(B{index},1)"
        data[f"E{index}"] = f"=ROUND(C{index},1)"

    cells["A1"] = '=_t("MyChat: this period")'
    figures = [
        scorecard("mychat-sc-count", 0, "Conversations", "Data!D2", "Data!E2"),
        scorecard(
            "mychat-sc-wait",
            190,
            "First response (min)",
            "Data!D3",
            "Data!E3",
            fmt_up="#DC6965",
            fmt_down="#00A04A",
        ),
        scorecard("mychat-sc-sla", 380, "Within SLA (%)", "Data!D6", "Data!E6"),
        scorecard("mychat-sc-bot", 570, "Bot contained (%)", "Data!D7", "Data!E7"),
        scorecard(
            "mychat-sc-resolution",
            760,
            "Resolution (h)",
            "Data!D5",
            "Data!E5",
            fmt_up="#DC6965",
            fmt_down="#00A04A",
        ),
        scorecard("mychat-sc-handoff", 950, "Hand-offs", "Data!D8", "Data!E8"),
    ]
    cells["A5"] = link("Conversations per day", "graph", "start_date:day")
    figures.append(
        odoo_chart("mychat-trend-count", 5, "odoo_line", "Conversations per day", "start_date:day")
    )
    figures.append(
        odoo_chart(
            "mychat-trend-wait",
            5,
            "odoo_line",
            "Avg. first response per day (min)",
            "start_date:day",
            measure="first_response_minutes",
            x=560,
        )
    )
    cells["A7"] = link(
        "Channels that keep customers waiting longest", "pivot", "channel_id", "first_response_minutes"
    )
    cells["A8"], cells["B8"], cells["C8"], cells["D8"] = (
        '=_t("Channel")',
        '=_t("Conversations")',
        '=_t("Avg. first response (min)")',
        '=_t("Within SLA (%)")',
    )
    cells["F7"] = link(
        "Agents who keep customers waiting longest", "pivot", "user_id", "first_response_minutes"
    )
    cells["F8"], cells["G8"], cells["H8"], cells["I8"] = (
        '=_t("Agent")',
        '=_t("Conversations")',
        '=_t("Avg. first response (min)")',
        '=_t("Within SLA (%)")',
    )
    for rank in range(1, 6):
        row = 8 + rank
        cells[f"A{row}"] = f'=PIVOT.HEADER(3,"#channel_id",{rank})'
        cells[f"B{row}"] = f'=PIVOT.VALUE(3,"__count","#channel_id",{rank})'
        cells[f"C{row}"] = (
            f'=IF(A{row}="","",ROUND(PIVOT.VALUE(3,"first_response_minutes:avg","#channel_id",{rank}),1))'
        )
        cells[f"D{row}"] = (
            f'=IF(A{row}="","",ROUND(PIVOT.VALUE(3,"answered_in_sla:avg","#channel_id",{rank}),0))'
        )
        cells[f"F{row}"] = f'=PIVOT.HEADER(4,"#user_id",{rank})'
        cells[f"G{row}"] = f'=PIVOT.VALUE(4,"__count","#user_id",{rank})'
        cells[f"H{row}"] = (
            f'=IF(F{row}="","",ROUND(PIVOT.VALUE(4,"first_response_minutes:avg","#user_id",{rank}),1))'
        )
        cells[f"I{row}"] = (
            f'=IF(F{row}="","",ROUND(PIVOT.VALUE(4,"answered_in_sla:avg","#user_id",{rank}),0))'
        )
    cells["A21"] = link("Conversations by channel type", "graph", "channel_type")
    figures.append(
        odoo_chart("mychat-by-type", 21, "odoo_bar", "Conversations by channel type", "channel_type")
    )
    figures.append(
        odoo_chart("mychat-by-hour", 21, "odoo_bar", "Conversations by hour of day", "start_hour", x=560)
    )

    waiting = [("__count", "sum"), ("first_response_minutes", "avg"), ("answered_in_sla", "avg")]
    pivots = {
        "1": pivot("1", "MyChat - current period", MEASURES, offset=0),
        "2": pivot("2", "MyChat - previous period", MEASURES, offset=-1),
        "3": pivot(
            "3",
            "MyChat - waiting by channel",
            waiting,
            rows=["channel_id"],
            sort="first_response_minutes:avg",
        ),
        "4": pivot(
            "4",
            "MyChat - waiting by agent",
            waiting,
            rows=["user_id"],
            sort="first_response_minutes:avg",
            domain=[["user_id", "!=", False]],
        ),
    }
    header = {"A1": 1, "A5": 2, "A7": 2, "F7": 2, "A21": 2, "A8:D8": 3, "F8:I8": 3}
    return {
        "version": "18.4.14",
        "sheets": [
            {
                "id": "mychat-dashboard",
                "name": "Dashboard",
                "colNumber": 12,
                "rowNumber": 50,
                "rows": {"1": {"size": 110}, "5": {"size": 340}, "21": {"size": 340}},
                "cols": {
                    "0": {"size": 170},
                    "4": {"size": 30},
                    "5": {"size": 150},
                    **{str(c): {"size": 105} for c in (1, 3, 6, 8)},
                    "2": {"size": 165},
                    "7": {"size": 165},
                },
                "merges": [],
                "cells": cells,
                "styles": header,
                "formats": {},
                "borders": {},
                "conditionalFormats": [],
                "dataValidationRules": [],
                "figures": figures,
                "tables": [],
                "areGridLinesVisible": False,
                "isVisible": True,
                "headerGroups": [],
                "comments": {},
            },
            {
                "id": "mychat-data",
                "name": "Data",
                "colNumber": 6,
                "rowNumber": 20,
                "rows": {},
                "cols": {"0": {"size": 220}},
                "merges": [],
                "cells": data,
                "styles": {"A1:E1": 3},
                "formats": {},
                "borders": {},
                "conditionalFormats": [],
                "dataValidationRules": [],
                "figures": [],
                "tables": [],
                "areGridLinesVisible": True,
                "isVisible": True,
                "headerGroups": [],
                "comments": {},
            },
        ],
        "styles": {
            "1": {"bold": True, "fontSize": 16, "textColor": "#01666B"},
            "2": {"bold": True, "fontSize": 12, "textColor": "#01666B"},
            "3": {"bold": True, "fontSize": 11, "textColor": "#434343"},
        },
        "formats": {},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 1,
            }
        },
        "pivots": pivots,
        "pivotNextId": 5,
        "customTableStyles": {},
        "globalFilters": [
            {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "last_7_days"},
            {
                "id": CHANNEL,
                "type": "relation",
                "label": "Channels",
                "modelName": "mychat.channel",
                "domainOfAllowedValues": [],
                "includeChildren": False,
            },
            {
                "id": TEAM,
                "type": "relation",
                "label": "Teams",
                "modelName": "crm.team",
                "domainOfAllowedValues": [],
                "includeChildren": False,
            },
            {
                "id": AGENT,
                "type": "relation",
                "label": "Agents",
                "modelName": "res.users",
                "domainOfAllowedValues": [["share", "=", False]],
                "includeChildren": False,
            },
        ],
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {
            "mychat-sc-count": "live_routing.mychat_report_conversation_menu",
            "mychat-sc-wait": "live_routing.mychat_report_conversation_menu",
            "mychat-sc-sla": "live_routing.mychat_report_conversation_menu",
            "mychat-sc-bot": "live_routing.mychat_report_conversation_menu",
            "mychat-trend-count": "live_routing.mychat_report_conversation_menu",
            "mychat-by-type": "live_routing.mychat_report_conversation_menu",
        },
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n")
    print(OUT)
