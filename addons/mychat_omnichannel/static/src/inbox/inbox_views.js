import { registry } from "@web/core/registry";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";
import { MychatInboxCounters } from "./inbox_counters";

export class MychatInboxListRenderer extends ListRenderer {
    static template = "mychat_omnichannel.InboxListRenderer";
    static components = { ...ListRenderer.components, MychatInboxCounters };
}

export class MychatInboxKanbanRenderer extends KanbanRenderer {
    static template = "mychat_omnichannel.InboxKanbanRenderer";
    static components = { ...KanbanRenderer.components, MychatInboxCounters };
}

registry.category("views").add("mychat_inbox_list", { ...listView, Renderer: MychatInboxListRenderer });
registry.category("views").add("mychat_inbox_kanban", { ...kanbanView, Renderer: MychatInboxKanbanRenderer });
