import { registry } from "@web/core/registry";

/** A salesperson opens the lead of a bot conversation: the collected data and the bot's actions are on it,
 * and a collected value is copied onto the lead with "Set on lead". */
registry.category("web_tour.tours").add("chatbot_sync_lead_data_tour", {
    steps: () => [
        {
            content: "Open the lead's chat data",
            trigger: ".o_form_view .o_notebook a[name='mychat_data']",
            run: "click",
        },
        {
            content: "The bot's collected data is listed with its label",
            trigger: ".o_field_widget[name='mychat_data_ids'] .o_data_row:contains('Serial number'):contains('SN-4471')",
        },
        {
            content: "and the product",
            trigger: ".o_field_widget[name='mychat_data_ids'] .o_data_row:contains('Product'):contains('Solar kit')",
        },
        {
            content: "The bot's actions: its steps, outcome and hand-off reason",
            trigger: ".o_field_widget[name='mychat_bot_summary']:contains('Which product?'):contains('handoff_requested'):contains('wants a quote')",
        },
        {
            content: "Set the collected company name on the lead",
            trigger: ".o_field_widget[name='mychat_data_ids'] .o_data_row:contains('Levi Solar Ltd') button.o_mychat_set_on_lead",
            run: "click",
        },
        {
            content: "The lead now holds it: the button is gone",
            trigger: ".o_field_widget[name='mychat_data_ids'] .o_data_row:contains('Levi Solar Ltd'):not(:has(button.o_mychat_set_on_lead))",
        },
    ],
});
