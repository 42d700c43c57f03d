import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { channelIcon } from "./channel_icons";

/** The inbox's one-click bar: counts on Mine / My team / Unassigned / Queue and a filter per channel
 * type. A click shows exactly that (open conversations only). */
export class MychatInboxCounters extends Component {
    static template = "mychat_omnichannel.InboxCounters";
    static props = { "*": true };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ queues: [], channels: [] });
        this.channelIcon = channelIcon;
        onWillStart(() => this.load());
        onWillUpdateProps(() => this.load());
    }

    async load() {
        Object.assign(this.state, await this.orm.call("mychat.conversation", "mychat_inbox_counts", []));
    }

    isActive(filterName) {
        return this.env.searchModel
            .getSearchItems((item) => item.name === filterName)
            .some((item) => item.isActive);
    }

    show(filterName) {
        const searchModel = this.env.searchModel;
        const names = [filterName, "active_states"];
        const items = searchModel.getSearchItems((item) => names.includes(item.name));
        searchModel.query = [];
        for (const item of items) {
            searchModel.toggleSearchItem(item.id);
        }
    }
}
