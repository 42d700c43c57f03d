import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useBus, useService } from "@web/core/utils/hooks";

/**
 * The systray counter of my unanswered MyChat conversations: read once, then taken from the bus events
 * about my conversations, which carry it (null when it did not change; a team's news about unassigned
 * ones leave it unchanged); other events about me read it again.
 */
export class MychatSystray extends Component {
    static template = "mychat_omnichannel.Systray";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ count: 0, allowed: false });
        onWillStart(async () => {
            this.state.allowed = await user.hasGroup("mychat_omnichannel.group_mychat_user");
            await this.refresh();
        });
        useBus(this.env.bus, "MYCHAT:CONVERSATION", ({ detail }) => {
            if (detail && "unanswered_count" in detail) {
                // null: the server says my counter did not change
                if (Number.isInteger(detail.unanswered_count)) {
                    this.state.count = detail.unanswered_count;
                }
            } else if (detail?.assigned_to_me !== false) {
                this.refresh();
            }
        });
    }

    async refresh() {
        if (this.state.allowed) {
            this.state.count = await this.orm.call("mychat.conversation", "mychat_unanswered_count", []);
        }
    }

    open() {
        this.action.doAction("mychat_omnichannel.mychat_inbox_mine_action", {
            additionalContext: { search_default_awaiting_reply: 1 },
            clearBreadcrumbs: true,
        });
    }
}

registry.category("systray").add("mychat_omnichannel.unanswered", { Component: MychatSystray }, { sequence: 25 });
