import { registry } from "@web/core/registry";

/**
 * Ask the Python test to act while the tour waits (post a signed webhook, ...): it watches the console for
 * "mychat-signal:<name>" and answers with the DOM the next steps wait for.
 */
function signal(name) {
    return () => console.info(`mychat-signal:${name}`);
}

function screenshot(name) {
    return async () => {
        console.info(`mychat-screenshot:${name}`);
        await new Promise((resolve) => setTimeout(resolve, 1500));
    };
}

const REPLY = "Yes, we deliver to Haifa tomorrow";

/** Answer the customer in an open MyChat thread and follow the tick to "delivered". */
function answerSteps(scope, reply) {
    return [
        { trigger: `${scope} .o-mail-Message:contains(Do you deliver to Haifa?)` },
        { trigger: `${scope} .o-mail-Message:contains(Do you deliver to Haifa?):not(:has(.o_mychat_tick))`, timeout: 60000 },
        { trigger: `${scope} .o-mail-Composer-input`, run: `edit ${reply}` },
        { trigger: `${scope} .o-mail-Composer-input`, run: "press Enter" },
        // queued, then sent by the send queue after the transaction committed
        { trigger: `${scope} .o-mail-Message:contains(${reply}) .o_mychat_tick[data-mychat-state=sent]`, timeout: 60000 },
        { trigger: "body", run: signal("delivered") },
        { trigger: `${scope} .o-mail-Message:contains(${reply}) .o_mychat_tick[data-mychat-state=delivered]`, timeout: 60000 },
    ];
}

/** A WhatsApp message arrives while the agent has Discuss open; the agent answers from Discuss. */
registry.category("web_tour.tours").add("mychat_discuss_tour", {
    steps: () => [
        { trigger: ".o-mail-Discuss" },
        { trigger: ".o-mail-DiscussSidebar:not(:has(.o-mail-DiscussSidebarChannel:contains(Dana Levi)))" },
        { trigger: "body", run: signal("inbound") },
        // live, without a reload: the sidebar's MyChat category, the provider icon and the unread counter
        { trigger: ".o-mail-DiscussSidebarChannel:contains(Dana Levi) .o-mail-DiscussSidebarChannel-badge:contains(1)", timeout: 60000 },
        { trigger: ".o-mail-DiscussSidebarChannel:contains(Dana Levi) .o_mychat_thread_icon.fa-whatsapp" },
        { trigger: ".o-mail-DiscussSidebarCategory-mychat" },
        // the messaging menu lists it with its counter (the menu's own badge may also count Odoo's push prompt)
        { trigger: ".o_menu_systray .o-mail-MessagingMenu-counter" },
        { trigger: ".o_menu_systray i[aria-label=Messages]", run: "click" },
        { trigger: ".o-mail-NotificationItem:contains(Dana Levi)", timeout: 30000 },
        { trigger: ".o-mail-NotificationItem:contains(Dana Levi) .o-mail-NotificationItem-counter:contains(1)" },
        { trigger: ".o_menu_systray i[aria-label=Messages]", run: "click" },
        { trigger: ".o-mail-DiscussSidebarChannel:contains(Dana Levi)", run: "click" },
        ...answerSteps(".o-mail-DiscussContent", REPLY),
        { trigger: ".o-mail-DiscussSidebarChannel:contains(Dana Levi):not(:has(.o-mail-DiscussSidebarChannel-badge))" },
        { trigger: "body", run: screenshot("discuss") },
    ],
});

/** The same from the chat-first conversation view: thread and composer at once, the customer beside. */
registry.category("web_tour.tours").add("mychat_chat_first_tour", {
    steps: () => [
        { trigger: ".o_mychat_chat_first .o_mychat_chat .o-mail-Thread" },
        { trigger: ".o_mychat_chat_first .o_mychat_provider_icon.fa-whatsapp" },
        { trigger: ".o_mychat_panel .o_mychat_partner:contains(Dana Levi)" },
        { trigger: ".o_mychat_panel .o_mychat_last_seen" },
        // the ticket actions are in reach, above the chat
        { trigger: ".o_form_statusbar button[name=action_resolve]" },
        { trigger: ".o_form_statusbar button[name=action_snooze]" },
        { trigger: ".o_form_statusbar button[name=action_create_opportunity]" },
        { trigger: ".o_mychat_chat_first .o_mychat_window" },
        ...answerSteps(".o_mychat_chat_first", "We deliver tomorrow"),
        { trigger: "body", run: screenshot("chat_first") },
        // a chatter note stays inside Odoo
        { trigger: ".o-mail-Chatter-topbar button.o-mail-Chatter-logNote", run: "click" },
        { trigger: ".o-mail-Chatter .o-mail-Composer-input", run: "edit VIP customer, be quick" },
        { trigger: ".o-mail-Chatter .o-mail-Composer-send:enabled", run: "click" },
        { trigger: ".o-mail-Chatter .o-mail-Message:contains(VIP customer, be quick)" },
        { trigger: ".o_form_statusbar button[name=action_resolve]", run: "click" },
        { trigger: ".o_form_statusbar:not(:has(button[name=action_resolve]))" },
    ],
});

/** Outside the reply window the Discuss composer offers the approved templates and says why. */
registry.category("web_tour.tours").add("mychat_discuss_template_tour", {
    steps: () => [
        { trigger: ".o_mychat_chat_first .o_mychat_window_closed .alert" },
        { trigger: ".o_mychat_chat_first:not(:has(.o-mail-Composer-input))" },
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
        { trigger: ".o_mychat_chat_first .o-mail-Message:contains(Hi Dana, order A-17 is ready) .o_mychat_tick", timeout: 60000 },
        // the other ways to the same customer while the window stays closed: SMS, e-mail, a new template
        { trigger: ".o_mychat_fallback .o_mychat_reach_by[data-channel-type=sms]:contains(SMS office)" },
        { trigger: ".o_mychat_fallback .o_mychat_new_template" },
        { trigger: ".o_mychat_fallback .o_mychat_reach_email", run: "click" },
        { trigger: ".modal .o_mail_composer_form .o_field_many2many_tags:contains(Dana Levi)" },
        { trigger: ".modal button[special=cancel]", run: "click" },
        { trigger: ".o_mychat_fallback .o_mychat_reach_by[data-channel-type=sms]", run: "click" },
        { trigger: ".modal .o_field_widget[name=channel_id] input", run: ({ anchor }) => {
            if (!anchor.value.includes("SMS office")) {
                throw new Error(`the SMS channel is chosen, not ${anchor.value}`);
            }
        } },
        { trigger: ".modal .o_field_widget[name=body] textarea", run: "edit Your order A-17 is ready" },
        { trigger: ".modal button[name=action_start]", run: "click" },
        { trigger: "body:not(:has(.modal))" },
    ],
});

/** On a phone: the chat-first view stacks the chat above the customer, and the messaging menu opens the chat. */
registry.category("web_tour.tours").add("mychat_phone_tour", {
    steps: () => [
        { trigger: ".o_mychat_chat_first.o_mychat_small .o-mail-Message:contains(Do you deliver to Haifa?)" },
        { trigger: ".o_mychat_chat_first .o_mychat_toggle_panel", run: "click" },
        { trigger: ".o_mychat_chat_first:not(:has(.o_mychat_panel))" },
        { trigger: ".o_mychat_chat_first .o_mychat_toggle_panel", run: "click" },
        { trigger: ".o_mychat_chat_first .o_mychat_panel .o_mychat_partner:contains(Dana Levi)" },
        { trigger: ".o_mychat_chat_first .o-mail-Composer-input", run: "edit From the phone" },
        { trigger: ".o_mychat_chat_first button[name=send-message]:enabled", run: "click" },
        { trigger: ".o_mychat_chat_first .o-mail-Message:contains(From the phone) .o_mychat_tick[data-mychat-state=sent]", timeout: 60000 },
        { trigger: "body", run: screenshot("chat_first_phone") },
        // the messaging menu on a phone: the chat is in the MyChat tab
        { trigger: ".o_menu_systray i[aria-label=Messages]", run: "click" },
        { trigger: ".o-mail-MessagingMenu-tab[aria-label=MyChat]", run: "click" },
        { trigger: ".o-mail-NotificationItem:contains(Dana):contains(From the phone)", run: "click" },
        { trigger: ".o-mail-ChatWindow .o-mail-Message:contains(From the phone) .o_mychat_tick", timeout: 60000 },
        { trigger: ".o-mail-ChatWindow .o-mail-Composer-input", run: "edit And from the chat window" },
        { trigger: ".o-mail-ChatWindow button[name=send-message]:enabled", run: "click" },
        { trigger: ".o-mail-ChatWindow .o-mail-Message:contains(And from the chat window) .o_mychat_tick[data-mychat-state=sent]", timeout: 60000 },
        { trigger: "body", run: screenshot("discuss_phone") },
    ],
});

/** A website live chat session is the conversation's own thread: answered from Discuss, never copied. */
registry.category("web_tour.tours").add("mychat_livechat_discuss_tour", {
    steps: () => [
        { trigger: ".o-mail-DiscussSidebarChannel:contains(Visitor)", run: "click" },
        { trigger: ".o-mail-DiscussContent .o-mail-Message:contains(Do you ship to Eilat?)", timeout: 30000 },
        { trigger: ".o-mail-DiscussContent .o-mail-Composer-input", run: "edit Yes, we ship to Eilat" },
        { trigger: ".o-mail-DiscussContent .o-mail-Composer-input", run: "press Enter" },
        { trigger: ".o-mail-DiscussContent .o-mail-Message:contains(Yes, we ship to Eilat)", timeout: 30000 },
        // one message each, no copy
        {
            trigger: ".o-mail-DiscussContent .o-mail-Thread",
            run() {
                const count = (text) =>
                    [...this.anchor.querySelectorAll(".o-mail-Message")].filter((m) => m.textContent.includes(text))
                        .length;
                if (count("Do you ship to Eilat?") !== 1 || count("Yes, we ship to Eilat") !== 1) {
                    throw new Error("a live chat message shows twice");
                }
            },
        },
    ],
});
