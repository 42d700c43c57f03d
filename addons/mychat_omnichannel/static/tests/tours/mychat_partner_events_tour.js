import { registry } from "@web/core/registry";

/** From a partner's Events tab, open a conversation: newest first, a click shows the full thread. */
registry.category("web_tour.tours").add("mychat_partner_events_tour", {
    steps: () => [
        {
            content: "Open the Events tab of the customer",
            trigger: ".o_form_view .o_notebook a[name='mychat_events']",
            run: "click",
        },
        {
            content: "The newest conversation (the child contact's) comes first",
            trigger:
                ".o_field_widget[name='mychat_event_ids'] .o_data_row:first-child:contains('Newest from the office')",
        },
        {
            content: "A chatbot conversation is marked",
            trigger: ".o_field_widget[name='mychat_event_ids'] .o_data_row:contains('Bot greeting') .o_field_boolean_toggle input:checked",
        },
        {
            content: "Open the newest conversation",
            trigger: ".o_field_widget[name='mychat_event_ids'] .o_data_row:first-child button.o_mychat_event_open",
            run: "click",
        },
        {
            content: "The full conversation is shown",
            trigger: ".o_form_view .o_notebook:contains('Newest from the office')",
        },
        {
            content: "with its channel",
            trigger: ".o_form_view .o_field_widget[name='channel_id']:contains('WhatsApp test')",
        },
    ],
});

/** From a lead, message the customer: the conversation on the customer's last channel opens. */
registry.category("web_tour.tours").add("mychat_lead_message_tour", {
    steps: () => [
        {
            content: "The lead shows the customer's chats",
            trigger: ".o_form_view button[name='action_view_mychat_conversations']:contains('1')",
        },
        {
            content: "Message the customer",
            trigger: ".o_form_view .o_form_statusbar button[name='action_mychat_message_customer']",
            run: "click",
        },
        {
            content: "The customer's conversation opens, ready for a reply",
            trigger: ".o_form_view .o_notebook:contains('Please call me back')",
        },
        {
            content: "reopened for the reply",
            trigger: ".o_form_view .o_statusbar_status button[data-value='open'].o_arrow_button_current",
        },
    ],
});

/** An ambiguous sender: the agent links one of the possible customers with a click. */
registry.category("web_tour.tours").add("mychat_candidate_link_tour", {
    steps: () => [
        {
            content: "The possible customers are listed with the evidence",
            trigger: ".o_form_view div[name='mychat_candidates']:contains('+972541234567')",
        },
        {
            content: "Link Avi",
            trigger: "div[name='mychat_candidates'] .o_data_row:contains('Avi Levi') button.o_mychat_link_candidate",
            run: "click",
        },
        {
            content: "Identified: the suggestions are gone",
            trigger: ".o_form_view:not(:has(div[name='mychat_candidates']))",
        },
    ],
});
