import { Component, onWillStart, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";

/** Systray switch of the agent's MyChat availability (available / busy / offline). */
export class MychatAvailabilityMenu extends Component {
    static components = { Dropdown, DropdownItem };
    static props = [];
    static template = "live_routing.AvailabilityMenu";

    setup() {
        this.orm = useService("orm");
        this.state = useState({
            availability: "available",
            open: 0,
            capacity: 0,
            queued: 0,
            reason: false,
            reason_label: false,
        });
        this.options = [
            { value: "available", label: _t("Available"), color: "success" },
            { value: "busy", label: _t("Busy"), color: "warning" },
            { value: "offline", label: _t("Offline"), color: "secondary" },
        ];
        onWillStart(() => this.refresh());
    }

    get current() {
        return this.options.find((o) => o.value === this.state.availability) || this.options[0];
    }

    /** "Available — outside working hours until Sun 09:00": the state routing actually applies. */
    get effectiveLabel() {
        const label = this.current.label;
        return this.state.availability === "available" && this.state.reason_label
            ? `${label} — ${this.state.reason_label}`
            : label;
    }

    /** Available but receiving nothing (hours, leave, capacity…): the dot turns amber. */
    get blocked() {
        return this.state.availability === "available" && Boolean(this.state.reason);
    }

    async refresh() {
        Object.assign(this.state, await this.orm.call("res.users", "mychat_get_availability", []));
    }

    async setAvailability(value) {
        await this.orm.call("res.users", "mychat_set_availability", [[user.userId], value]);
        await this.refresh();
    }
}

registry.category("systray").add(
    "live_routing.availability_menu",
    { Component: MychatAvailabilityMenu, isDisplayed: () => user.isInternalUser },
    { sequence: 30 }
);
