import { registry } from "@web/core/registry";

/** From a lead, start a WhatsApp conversation with a template (the window is closed), then see it. */
registry.category("web_tour.tours").add("mychat_outbound_lead_tour", {
    steps: () => [
        { content: "Start a conversation from the lead", trigger: "button.o_mychat_lead_start", run: "click" },
        {
            content: "The window is closed: a template is required",
            trigger: ".modal .o_mychat_start_conversation .o_field_widget[name=note]:contains(only an approved template)",
        },
        { trigger: ".modal .o_field_widget[name=template_id] input", run: "edit Follow" },
        { trigger: ".o-autocomplete--dropdown-item:contains(Follow-up)", run: "click" },
        {
            content: "The preview shows the message",
            trigger: ".modal .o_field_widget[name=preview]:contains(Hello Dana Levi, this is)",
        },
        { trigger: ".modal button.o_mychat_start_send", run: "click" },
        { content: "The conversation opens", trigger: ".o_mychat_chat_first .o-mail-Thread" },
        { trigger: "body:not(:has(.modal))" },
    ],
});

/** The agent's inbox lists the conversation just started. */
registry.category("web_tour.tours").add("mychat_outbound_inbox_tour", {
    steps: () => [{ trigger: ".o_list_view .o_data_row:contains(Dana Levi)" }],
});

/** From the partner list, launch a campaign on the selected partners and read its figures. */
registry.category("web_tour.tours").add("mychat_outbound_campaign_tour", {
    steps: () => [
        { trigger: ".o_list_view" },
        { trigger: ".o_searchview_input", run: "edit Tour customer" },
        { trigger: ".o_searchview_input", run: "press Enter" },
        { trigger: ".o_searchview_facet:contains(Tour customer)" },
        { trigger: ".o_list_view .o_data_row:contains(Tour customer A)" },
        { trigger: ".o_list_view:not(:has(.o_data_row:not(:contains(Tour customer))))" },
        { trigger: "thead .o_list_record_selector input", run: "click" },
        { trigger: ".o_cp_action_menus .dropdown-toggle", run: "click" },
        { trigger: ".o-dropdown--menu .o-dropdown-item:contains(New MyChat campaign)", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=channel_id] input", run: "edit WhatsApp" },
        { trigger: ".o-autocomplete--dropdown-item:contains(WhatsApp test)", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=template_id] input", run: "edit Spring" },
        { trigger: ".o-autocomplete--dropdown-item:contains(Spring offer)", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name=preview]:contains(spring prices)" },
        { trigger: "button.o_mychat_campaign_launch", run: "click" },
        { trigger: ".modal-footer .btn-primary", run: "click" },
        { content: "Sent at once", trigger: ".o_statusbar_status button[aria-checked=true]:contains(Done)" },
        { content: "Three recipients", trigger: ".oe_stat_button .o_stat_value:contains(3)" },
        { trigger: ".o_field_widget[name=recipient_ids] .o_data_row:contains(No opt-in)" },
    ],
});
