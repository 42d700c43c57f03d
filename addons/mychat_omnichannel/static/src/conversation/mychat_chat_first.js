import { Composer } from "@mail/core/common/composer";
import { Thread } from "@mail/core/common/thread";
import { Component, onWillStart, onWillUpdateProps, useState, useSubEnv } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { mychatProvider } from "../discuss/mychat_providers";

const { DateTime } = luxon;

/**
 * The chat-first conversation view: the conversation's Discuss thread and composer at once (ticks, reply
 * window, templates and quick replies as in Discuss), the customer panel beside it; the ticket actions stay
 * in the form's header and the chatter below.
 */
export class MychatChatFirst extends Component {
    static template = "mychat_omnichannel.ChatFirst";
    static components = { Thread, Composer };
    static props = standardWidgetProps;

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.store = useService("mail.store");
        this.ui = useService("ui");
        this.state = useState({ data: null, thread: null, jumpPresent: 0, showPanel: true });
        useSubEnv({ inMychatChatFirst: true });
        onWillStart(() => this.load(this.props.record.resId));
        onWillUpdateProps(async (nextProps) => {
            if (nextProps.record.resId !== this.resId || nextProps.record.data.state !== this.state.data?.state) {
                await this.load(nextProps.record.resId);
            }
        });
        useBus(this.env.bus, "MYCHAT:CONVERSATION", ({ detail }) => {
            if (detail.conversation_id === this.resId) {
                this.load(this.resId);
            }
        });
    }

    async load(resId) {
        this.resId = resId;
        if (!resId) {
            Object.assign(this.state, { data: null, thread: null });
            return;
        }
        const data = await this.orm.call("mychat.conversation", "mychat_chat_first_data", [[resId]]);
        let thread = null;
        if (data.discuss_channel_id) {
            thread = await this.store.Thread.getOrFetch({ model: "discuss.channel", id: data.discuss_channel_id });
        }
        Object.assign(this.state, { data, thread: thread || null });
    }

    get provider() {
        return mychatProvider(this.state.thread?.mychat_channel_type || this.state.data?.channel_type);
    }

    formatDate(value) {
        const date = deserializeDateTime(value);
        return date.hasSame(DateTime.now(), "day")
            ? date.toLocaleString(DateTime.TIME_SIMPLE)
            : formatDateTime(date, { showSeconds: false });
    }

    openRecord(model, id) {
        this.action.doAction({ type: "ir.actions.act_window", res_model: model, res_id: id, views: [[false, "form"]] });
    }

    async onTransfer(ev, method) {
        const userId = parseInt(ev.target.value);
        ev.target.value = "";
        if (!userId) {
            return;
        }
        await this.orm.call("mychat.conversation", method, [[this.resId], userId]);
        this.notification.add(method === "mychat_transfer" ? _t("Conversation transferred") : _t("Colleague invited"), {
            type: "success",
        });
        await this.props.record.load();
        await this.load(this.resId);
    }
}

registry.category("view_widgets").add("mychat_chat_first", {
    component: MychatChatFirst,
    fieldDependencies: [{ name: "state", type: "selection" }],
});
