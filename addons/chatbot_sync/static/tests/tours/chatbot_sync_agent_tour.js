import { registry } from "@web/core/registry";

// the transcript: the conversation widget, or the plain message list when no widget replaces it
const transcriptHas = (text) => ({
    trigger: [
        `.o_form_view .o_mychat_transcript .o_mychat_body:contains('${text}')`,
        `.o_form_view .o_field_widget[name='mychat_message_ids'] .o_data_row:contains('${text}')`,
    ].join(", "),
});

// The agent finds the conversation flagged, with the bot transcript and the collected data.
registry.category("web_tour.tours").add("chatbot_sync_agent_tour", {
    steps: () => [
        { trigger: ".o_control_panel .o_searchview_dropdown_toggler", run: "click" },
        { trigger: ".o_filter_menu .o_menu_item:contains('Needs a human')", run: "click" },
        { trigger: ".o_searchview_facet:contains('Needs a human')" },
        { trigger: ".o_switch_view.o_kanban", run: "click" },
        { trigger: ".o_kanban_record:contains('Dana Levi') .badge:contains('Needs a human')" },
        { trigger: ".o_switch_view.o_list", run: "click" },
        { trigger: ".o_data_row td[name='display_name']:contains('Dana Levi')", run: "click" },
        { trigger: ".o_form_view .alert-warning:contains('Needs a human')" },
        { trigger: ".o_form_view .alert-info:contains('Live mode')" },
        transcriptHas("What is your email address"),
        transcriptHas("Talk to a human"),
        transcriptHas("I need a quote for 3 rooms"),
        { trigger: ".o_notebook a.nav-link:contains('Collected data')", run: "click" },
        { trigger: ".o_field_widget[name='data_ids'] .o_data_row:contains('054-123-4567')" },
        { trigger: ".o_field_widget[name='data_ids'] .o_data_row:contains('Talk to a human')" },
    ],
});
