import { registry } from "@web/core/registry";

const root = ".o-livechat-root:shadow";
const botSays = (text) => ({ trigger: `${root} .o-mail-Message:contains("${text}")` });
const visitorTypes = (text) => [
    { trigger: `${root} .o-mail-Composer-input`, run: `edit ${text}` },
    { trigger: `${root} .o-mail-Composer-input`, run: "press Enter" },
];

// A visitor talks to the demo chatbot on the live chat page and asks for a human.
registry.category("web_tour.tours").add("chatbot_sync_visitor_tour", {
    steps: () => [
        { trigger: `${root} .o-livechat-LivechatButton`, run: "click" },
        botSays("Hello! I am the MyChat demo bot."),
        botSays("What is your email address"),
        ...visitorTypes("dana@example.com"),
        botSays("And your phone number?"),
        ...visitorTypes("054-123-4567"),
        botSays("How can I help you?"),
        { trigger: `${root} button:contains("Talk to a human")`, run: "click" },
        // the bot hands off: the team is alerted, the visitor acknowledged, the bot stays silent
        botSays("Our team has been notified"),
        ...visitorTypes("I need a quote for 3 rooms"),
        { trigger: `${root} .o-mail-Message:contains("I need a quote for 3 rooms")` },
    ],
});
