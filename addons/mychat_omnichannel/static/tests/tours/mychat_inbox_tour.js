import { registry } from "@web/core/registry";

/** The label of the "Awaiting reply" filter in the user's language (set by the Python test). */
function awaitingLabel() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("mychat_awaiting_label="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "Awaiting reply";
}

/** Ask the Python test for a screenshot (it watches the console), then give it time to capture. */
function screenshot(name) {
    return async () => {
        console.info(`mychat-screenshot:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 1500));
    };
}

function agentSteps(rtl) {
    return [
        { trigger: rtl ? "body.o_rtl .o_list_view" : "body:not(.o_rtl) .o_list_view" },
        { trigger: ".o_searchview_dropdown_toggler", run: "click" },
        {
            trigger: ".o_filter_menu .o_menu_item",
            run() {
                const label = awaitingLabel();
                [...document.querySelectorAll(".o_filter_menu .o_menu_item")]
                    .find((el) => el.textContent.trim() === label)
                    .click();
            },
        },
        { trigger: ".o_searchview_facet .o_facet_value", run: () => {} },
        { trigger: ".o_searchview_dropdown_toggler", run: "click" },
        { trigger: ".o_mychat_systray .o_mychat_systray_counter:contains(1)" },
        { trigger: ".o_switch_view.o_kanban", run: "click" },
        { trigger: ".o_kanban_record:contains(Dana) .o_mychat_waiting" },
        { trigger: ".o_switch_view.o_list", run: "click" },
        { trigger: ".o_data_row:contains(Dana) .o_mychat_waiting" },
        { trigger: ".o_list_view:not(:has(.o_data_row:contains(Answered Ari)))", run: screenshot("inbox") },
        { trigger: ".o_data_row td[name=display_name]:contains(Dana)", run: "click" },
        // the chat-first conversation view: the Discuss thread, the window countdown, the customer panel
        { trigger: ".o_mychat_chat_first .o-mail-Message:contains(Do you deliver to Haifa?)" },
        { trigger: ".o_mychat_chat_first .o_mychat_window" },
        { trigger: ".o_mychat_panel .o_mychat_last_seen" },
        {
            trigger: ".o_mychat_chat_first .o-mail-Message:contains(Do you deliver to Haifa?) .o-mail-Message-content",
            run() {
                // the customer's messages sit on the reading side: right in Hebrew/Arabic, left otherwise
                const thread = document.querySelector(".o_mychat_chat_first .o-mail-Thread").getBoundingClientRect();
                const bubble = this.anchor.getBoundingClientRect();
                const onRight = thread.right - bubble.right < bubble.left - thread.left;
                const direction = getComputedStyle(this.anchor).direction;
                if (onRight !== rtl || direction !== (rtl ? "rtl" : "ltr")) {
                    throw new Error(`customer message misplaced: direction ${direction}, on the right: ${onRight}`);
                }
            },
        },
        // a quick reply (Odoo's canned responses) through the "::" shortcut of the Discuss composer
        { trigger: ".o_mychat_chat_first .o-mail-Composer-input", run: "edit ::mydeliv" },
        { trigger: ".o-mail-Composer-suggestionList .o-mail-NavigableList-item:contains(mydelivery)", run: "click" },
        { trigger: ".o_mychat_chat_first .o-mail-Composer-input", run: "press Enter" },
        {
            trigger:
                ".o_mychat_chat_first .o-mail-Message:contains(Hello! How can I help you?) .o_mychat_tick[data-mychat-state=sent]", timeout: 60000,
        },
        { trigger: ".o_mychat_systray:not(:has(.o_mychat_systray_counter))" },
        // quote a specific message
        { trigger: ".o_mychat_chat_first .o-mail-Message:contains(And the price?)", run: "hover" },
        { trigger: ".o_mychat_chat_first .o-mail-Message:contains(And the price?) .o-mail-Message-actions button:has(.fa-reply)", run: "click" },
        { trigger: ".o_mychat_chat_first .o-mail-Composer-coreHeader .text-truncate b" },
        { trigger: ".o_mychat_chat_first .o-mail-Composer-input", run: "edit 120 ILS delivered" },
        { trigger: ".o_mychat_chat_first .o-mail-Composer-input", run: "press Enter" },
        {
            trigger:
                ".o_mychat_chat_first .o-mail-Message:contains(120 ILS delivered):has(.o-mail-MessageInReply:contains(And the price?)) .o_mychat_tick[data-mychat-state=sent]", timeout: 60000,
        },
        // an internal note: a chatter note, never sent
        { trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-logNote", run: "click" },
        { trigger: ".o-mail-Chatter .o-mail-Composer-input", run: "edit VIP customer, be quick" },
        { trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled", run: "click" },
        { trigger: ".o-mail-Chatter .o-mail-Message:contains(VIP customer, be quick)", run: screenshot("conversation") },
        // snooze, then resolve
        { trigger: ".o_form_statusbar button[name=action_snooze]", run: "click" },
        { trigger: ".o_form_statusbar button[name=action_reopen]" },
        { trigger: ".o_form_statusbar button[name=action_resolve]", run: "click" },
        { trigger: ".o_form_statusbar:not(:has(button[name=action_resolve]))" },
    ];
}

registry.category("web_tour.tours").add("mychat_inbox_tour", { steps: () => agentSteps(false) });
registry.category("web_tour.tours").add("mychat_inbox_rtl_tour", { steps: () => agentSteps(true) });

/** Outside the 24-hour window the composer offers the approved templates only. */
registry.category("web_tour.tours").add("mychat_template_tour", {
    steps: () => [
        { trigger: ".o_mychat_chat_first .o_mychat_window_closed" },
        {
            trigger: ".o_mychat_template_select:has(option:contains(Order ready))",
            run() {
                this.anchor.value = [...this.anchor.options].find((o) => o.text.includes("Order ready")).value;
                this.anchor.dispatchEvent(new Event("change"));
            },
        },
        { trigger: ".o_mychat_template_value:first", run: "edit Dana" },
        { trigger: ".o_mychat_template_value:last", run: "edit A-17" },
        { trigger: ".o_mychat_template_preview:contains(Hi Dana, order A-17 is ready)" },
        { trigger: ".o_mychat_template_send:enabled", run: "click" },
        {
            trigger:
                ".o_mychat_chat_first .o-mail-Message:contains(Hi Dana, order A-17 is ready) .o_mychat_tick[data-mychat-state=sent]", timeout: 60000,
        },
    ],
});
