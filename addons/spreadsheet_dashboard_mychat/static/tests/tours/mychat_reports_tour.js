import { registry } from "@web/core/registry";

/** Ask the Python test for a screenshot (it watches the console), then give it time to capture. */
function screenshot(name) {
    return async () => {
        console.info(`mychat-screenshot:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 1500));
    };
}

registry.category("web_tour.tours").add("mychat_reports_tour", {
    steps: () => [
        // MyChat > Reporting > Conversations opens the graph
        { trigger: ".o_main_navbar .o_menu_sections button:contains(Reporting)", run: "click" },
        { trigger: ".dropdown-item[data-menu-xmlid=\"live_routing.mychat_report_conversation_menu\"]", run: "click" },
        { trigger: ".o_graph_view .o_graph_renderer canvas", run: screenshot("report_graph") },
        // pivot, rows by agent then channel
        { trigger: ".o_switch_view.o_pivot", run: "click" },
        { trigger: ".o_pivot table" },
        { trigger: ".o_searchview_dropdown_toggler", run: "click" },
        { trigger: ".o_group_by_menu .o_menu_item:contains(Agent)", run: "click" },
        { trigger: ".o_group_by_menu .o_menu_item:contains(Channel):not(:contains(type))", run: "click" },
        { trigger: ".o_searchview_dropdown_toggler", run: "click" },
        { trigger: ".o_pivot th.o_pivot_header_cell_opened:contains(Report Ada)" },
        { trigger: ".o_pivot th:contains(Report WhatsApp)" },
        { trigger: ".o_pivot th:contains(Median first response)", run: screenshot("report_pivot") },
        // the dashboard
        { trigger: ".o_main_navbar .o_menu_sections button:contains(Reporting)", run: "click" },
        {
            trigger: ".dropdown-item[data-menu-xmlid=\"spreadsheet_dashboard_mychat.mychat_dashboard_menu\"]",
            run: "click",
        },
        { trigger: ".o_spreadsheet_dashboard_action .o-figure", timeout: 30000 },
        // charts are drawn on canvases: wait for the Odoo charts' figures too, then give them time to paint
        {
            trigger: ".o_spreadsheet_dashboard_action .o-figure:eq(7) canvas",
            run: () => new Promise((resolve) => setTimeout(resolve, 4000)),
        },
        { trigger: ".o_spreadsheet_dashboard_action .o-figure:eq(7) canvas", run: screenshot("dashboard") },
    ],
});
