import { registry } from "@web/core/registry";

/** An agent's morning: the systray says why nothing arrives, the inbox reads at a glance (a few columns,
 * counters, channel filters) and a queued conversation is taken with one click. */
registry.category("web_tour.tours").add("live_routing_agent_day_tour", {
    steps: () => [
        { trigger: ".o_mychat_availability_toggle", run: "click" },
        // the effective state, with its reason and the next opening ("… until Sun 09:00")
        { trigger: ".o_mychat_availability_effective:contains(—)" },
        { trigger: ".o_mychat_availability_effective:contains(09:00)" },
        { trigger: ".o_mychat_availability_toggle", run: "click" },
        { trigger: ".o_main_navbar" },
        {
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-mychat_omnichannel.mychat_inbox_all_action";
            },
            expectUnloadPage: true,
        },
        { trigger: ".o_mychat_inbox_counters .o_mychat_counter_queued .badge:contains(1)" },
        {
            trigger: ".o_mychat_channel_filter_whatsapp",
            run: () => console.log("mychat-screenshot:inbox"),
        },
        {
            trigger: ".o_list_table thead, .o_kanban_renderer",
            run: () => {
                const columns = document.querySelectorAll(".o_list_table thead th.o_column_sortable");
                if (columns.length > 8) {
                    throw new Error(`The inbox has ${columns.length} columns, at most 8 expected`);
                }
            },
        },
        // one click on the WhatsApp filter, then Take the queued conversation
        { trigger: ".o_mychat_channel_filter_whatsapp", run: "click" },
        { trigger: ".o_mychat_channel_filter_whatsapp.btn-primary" },
        { trigger: ".o_data_row td[name=display_name]:contains(Queued Customer)" },
        { trigger: ".o_data_row .o_mychat_channel_icon .fa-whatsapp" },
        { trigger: ".o_data_row:contains(Queued Customer) button.o_mychat_take", run: "click" },
        { trigger: ".o_data_row:contains(Queued Customer) td[name=user_id]:contains(Admin)" },
    ],
});

/** The inbox on a phone: the counters and channel filters stay one tap away. */
registry.category("web_tour.tours").add("live_routing_agent_day_phone_tour", {
    steps: () => [
        { trigger: ".o_main_navbar" },
        {
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/action-mychat_omnichannel.mychat_inbox_all_action";
            },
            expectUnloadPage: true,
        },
        { trigger: ".o_mychat_inbox_counters .o_mychat_counter_queued .badge:contains(1)" },
        { trigger: ".o_kanban_record:contains(Queued Customer) .fa-whatsapp" },
        { trigger: ".o_mychat_channel_filter_whatsapp", run: () => console.log("mychat-screenshot:inbox") },
        { trigger: ".o_mychat_channel_filter_whatsapp", run: "click" },
        { trigger: ".o_mychat_channel_filter_whatsapp.btn-primary" },
    ],
});
