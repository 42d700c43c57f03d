import { registry } from "@web/core/registry";

const root = ".o-livechat-root:shadow";

function fillForm() {
    return [
        { trigger: `${root} .o_mychat_prechat input[name=name]`, run: "edit Dana Levi" },
        { trigger: `${root} .o_mychat_prechat input[name=email]`, run: "edit dana@example.com" },
        {
            trigger: `${root} .o_mychat_prechat textarea[name=question]`,
            run: "edit A quote for solar panels",
        },
        { trigger: `${root} .o_mychat_prechat_submit`, run: "click" },
    ];
}

function write(text) {
    return [
        { trigger: `${root} .o-mail-Composer-input`, run: `edit ${text}` },
        { trigger: `${root} .o-mail-Composer-input`, run: "press Enter" },
        { trigger: `${root} .o-mail-Message:contains("${text}")` },
    ];
}

// Outside the team's opening hours: the visitor reads when we are back, fills the pre-chat form, writes,
// and gets the greeting and the away message with the next opening.
registry.category("web_tour.tours").add("mychat_front_door_closed_tour", {
    steps: () => [
        { trigger: `${root} .o-livechat-LivechatButton`, run: "click" },
        { trigger: `${root} .o_mychat_availability_status:contains("Back at Sunday 09:00")` },
        { trigger: `${root} .o_mychat_availability_name:contains("Website team")` },
        // the form is required before the first message
        { trigger: `${root} .o_mychat_prechat_submit`, run: "click" },
        { trigger: `${root} .o_mychat_prechat_error` },
        ...fillForm(),
        ...write("Hello, I need a quote"),
        { trigger: `${root} .o-mail-Message:contains("Hello! Thanks for visiting.")` },
        { trigger: `${root} .o-mail-Message:contains("We are back at Sunday 09:00")` },
    ],
});

// Inside opening hours: the agent's photo and name, online now; the greeting only.
registry.category("web_tour.tours").add("mychat_front_door_open_tour", {
    steps: () => [
        { trigger: `${root} .o-livechat-LivechatButton`, run: "click" },
        { trigger: `${root} .o_mychat_availability_status:contains("Online now")` },
        { trigger: `${root} .o_mychat_availability_name:contains("Agent Noa")` },
        { trigger: `${root} img.o_mychat_availability_avatar[src*="/res.partner/"]` },
        ...fillForm(),
        ...write("Hello"),
        { trigger: `${root} .o-mail-Message:contains("Hello! Thanks for visiting.")` },
    ],
});

// A visitor browsing in Hebrew: the form and the availability read right to left, the next opening in Hebrew.
registry.category("web_tour.tours").add("mychat_front_door_rtl_tour", {
    steps: () => [
        { trigger: `${root} .o-livechat-LivechatButton`, run: "click" },
        { trigger: `${root} .o_mychat_availability[dir=rtl]` },
        { trigger: `${root} .o_mychat_availability_status:contains("יום ראשון 09:00")` },
        { trigger: `${root} .o_mychat_prechat[dir=rtl] input[name=name]`, run: "edit דנה לוי" },
        { trigger: `${root} .o_mychat_prechat input[name=email]`, run: "edit dana.he@example.com" },
        { trigger: `${root} .o_mychat_prechat textarea[name=question]`, run: "edit הצעת מחיר" },
        { trigger: `${root} .o_mychat_prechat_submit`, run: "click" },
        ...write("שלום"),
        { trigger: `${root} .o-mail-Message:contains("שלום! תודה שפנית אלינו.")` },
        { trigger: `${root} .o-mail-Message:contains("נחזור ביום ראשון 09:00")` },
    ],
});
