import { registry } from "@web/core/registry";

// The agent opens the website visitor's conversation: the pre-chat answers are at the top.
registry.category("web_tour.tours").add("mychat_front_door_agent_tour", {
    steps: () => [
        { trigger: ".o_mychat_prechat_answers:contains('Pre-chat form')" },
        { trigger: ".o_mychat_prechat_answers:contains('A quote for solar panels')" },
        { trigger: ".o_mychat_prechat_answers:contains('dana@example.com')" },
    ],
});
