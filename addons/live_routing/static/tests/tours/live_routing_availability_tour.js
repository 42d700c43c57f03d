import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("live_routing_availability_tour", {
    steps: () => [
        { trigger: ".o_mychat_availability_toggle", run: "click" },
        { trigger: ".o_mychat_availability_busy", run: "click" },
        { trigger: ".o_mychat_availability_toggle .text-warning" },
    ],
});
