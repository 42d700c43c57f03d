"""Print the field reference of MyChat's public models as Markdown (for readme/API.md).

Run inside ``odoo shell`` on a database with the MyChat addons installed:
    odoo shell -d <db> --addons-path=... < scripts/api_reference.py
"""

MYCHAT_ADDONS = {"mychat_omnichannel", "chatbot_sync", "live_routing", "mychat_project", "mychat_helpdesk"}
MODELS = [
    "mychat.channel",
    "mychat.contact",
    "mychat.conversation",
    "mychat.message",
    "mychat.event",
    "mychat.conversation.data",
    "mychat.lead.rule",
    "mychat.template",
    "mychat.tag",
    "mychat.webhook.subscription",
    "mychat.webhook.delivery",
    "mychat.webhook.attempt",
    "mychat.assignment.log",
    "mychat.routing.rule",
    "res.partner",
    "crm.lead",
    "crm.team",
    "crm.team.member",
    "res.users",
    "res.company",
    "project.task",
    "helpdesk.ticket",
]
SKIP = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


def field_type(field):
    kind = field.type
    if field.relational:
        kind = f"{kind} → `{field.comodel_name}`"
    if field.type == "selection" and isinstance(field.selection, list):
        kind = f"selection: {', '.join(f'`{value}`' for value, _label in field.selection)}"
    return kind


def field_rows(env, model_name):
    model = env.get(model_name)
    if model is None:
        return []
    rows = []
    for name, field in sorted(model._fields.items()):
        modules = set(getattr(field, "_modules", ()) or ())
        own = model_name.startswith("mychat.") or modules & MYCHAT_ADDONS
        if name in SKIP or not own or name.startswith(("message_", "activity_", "website_message")):
            continue
        if model_name.startswith("mychat.") and modules and modules <= {"mail", "base"}:
            continue
        flags = []
        if field.required:
            flags.append("required")
        if field.readonly and not (field.compute and not field.store and not field.inverse):
            flags.append("read-only")
        if field.compute and not field.store:
            flags.append("computed")
        if field.groups:
            flags.append(f"groups: {field.groups}")
        label = (field.string or "").replace("|", "/")
        rows.append(f"| `{name}` | {field_type(field)} | {label} | {', '.join(flags)} |")
    return rows


def main(env):
    for model_name in MODELS:
        rows = field_rows(env, model_name)
        if not rows:
            continue
        print(f"\n#### `{model_name}`\n")
        print("| field | type | label | notes |")
        print("|---|---|---|---|")
        print("\n".join(rows))


main(env)  # noqa: F821 - provided by odoo shell
