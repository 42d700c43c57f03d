import { Component, onMounted, onWillStart, onWillUnmount, onWillUpdateProps, useEffect, useRef, useState } from "@odoo/owl";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { MychatComposer } from "./mychat_composer";

const { DateTime } = luxon;

export function formatDuration(millis) {
    const minutes = Math.max(Math.floor(millis / 60000), 0);
    const hours = Math.floor(minutes / 60);
    if (hours >= 24) {
        return _t("%(days)sd %(hours)sh", { days: Math.floor(hours / 24), hours: hours % 24 });
    }
    if (hours) {
        return _t("%(hours)sh %(minutes)sm", { hours, minutes: minutes % 60 });
    }
    return _t("%(minutes)sm", { minutes });
}

/**
 * The conversation view of the MyChat agent workspace: the chronological transcript (customer, bot and
 * agent messages as bubbles, internal notes interleaved), the customer panel and the composer. Everything
 * comes from one RPC (mychat_get_transcript) and is reloaded on the "mychat/conversation" bus event.
 */
export class MychatConversation extends Component {
    static template = "mychat_omnichannel.Conversation";
    static components = { MychatComposer };
    static props = standardWidgetProps;

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.dialog = useService("dialog");
        this.state = useState({ data: null, replyTo: null, now: DateTime.now() });
        this.transcriptRef = useRef("transcript");
        this.reloadKey = this.keyOf(this.props);
        onWillStart(() => this.load());
        onWillUpdateProps(async (nextProps) => {
            const key = this.keyOf(nextProps);
            if (key !== this.reloadKey) {
                this.reloadKey = key;
                await this.load(nextProps.record.resId);
            }
        });
        useBus(this.env.bus, "MYCHAT:CONVERSATION", ({ detail }) => {
            if (detail.conversation_id === this.props.record.resId) {
                this.load();
            }
        });
        onMounted(() => {
            this.timer = setInterval(() => (this.state.now = DateTime.now()), 30000);
        });
        onWillUnmount(() => clearInterval(this.timer));
        useEffect(
            (count) => {
                const el = this.transcriptRef.el;
                if (el && count) {
                    el.scrollTop = el.scrollHeight;
                }
            },
            () => [this.state.data?.items.length]
        );
    }

    keyOf(props) {
        const data = props.record.data;
        return `${props.record.resId}-${data.state}-${data.write_date}`;
    }

    async load(resId = this.props.record.resId) {
        if (!resId) {
            this.state.data = null;
            return;
        }
        this.state.data = await this.orm.call("mychat.conversation", "mychat_get_transcript", [[resId]]);
    }

    async onSent() {
        this.state.replyTo = null;
        await this.load();
        await this.props.record.load();
    }

    // ------------------------------------------------------------------
    // Display helpers
    // ------------------------------------------------------------------

    formatDate(value) {
        const date = deserializeDateTime(value);
        return date.hasSame(DateTime.now(), "day")
            ? date.toLocaleString(DateTime.TIME_SIMPLE)
            : formatDateTime(date, { showSeconds: false });
    }

    get windowInfo() {
        const data = this.state.data;
        if (!data.window_hours) {
            return null;
        }
        if (!data.window_open || !data.window_expires_at) {
            return { closed: true, text: _t("Reply window closed: only approved templates can be sent") };
        }
        const left = deserializeDateTime(data.window_expires_at).diff(this.state.now).as("milliseconds");
        return {
            closed: false,
            soon: left < 4 * 3600 * 1000,
            text: _t("Reply window: %(left)s left", { left: formatDuration(left) }),
        };
    }

    get waitingText() {
        const since = this.state.data.awaiting_reply_since;
        if (!since) {
            return "";
        }
        const waited = this.state.now.diff(deserializeDateTime(since)).as("milliseconds");
        return _t("Waiting for our reply for %(time)s", { time: formatDuration(waited) });
    }

    bubbleClass(item) {
        if (item.kind === "note") {
            return "o_mychat_note";
        }
        return [
            `o_mychat_bubble o_mychat_${item.author_kind}`,
            item.direction === "outbound" ? "o_mychat_out" : "o_mychat_in",
            item.withdrawn ? "o_mychat_withdrawn" : "",
            item.state === "failed" ? "o_mychat_failed" : "",
        ].join(" ");
    }

    ticks(item) {
        return {
            queued: { icon: "fa-clock-o", title: _t("Queued") },
            sent: { icon: "fa-check", title: _t("Sent") },
            delivered: { icon: "fa-check o_mychat_double", title: _t("Delivered") },
            read: { icon: "fa-check o_mychat_double text-info", title: _t("Read") },
            failed: { icon: "fa-exclamation-circle text-danger", title: _t("Failed") },
        }[item.state];
    }

    attachmentKind(attachment) {
        const type = attachment.mimetype.split("/")[0];
        return ["image", "audio", "video"].includes(type) ? type : "file";
    }

    // ------------------------------------------------------------------
    // Message actions
    // ------------------------------------------------------------------

    quote(item) {
        this.state.replyTo = { id: item.id, body: item.body || item.message_type, author_name: item.author_name };
    }

    async retry(item) {
        await this.orm.call("mychat.message", "action_retry", [[item.id]]);
        await this.load();
    }

    withdraw(item) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Delete this reply?"),
            body: _t(
                "The message is deleted for the customer where the channel allows it; otherwise it is only marked withdrawn here."
            ),
            confirmLabel: _t("Delete"),
            confirm: async () => {
                await this.orm.call("mychat.message", "action_withdraw", [[item.id]]);
                await this.load();
            },
            cancel: () => {},
        });
    }

    openRecord(model, id) {
        this.action.doAction({ type: "ir.actions.act_window", res_model: model, res_id: id, views: [[false, "form"]] });
    }
}

registry.category("view_widgets").add("mychat_conversation", {
    component: MychatConversation,
    fieldDependencies: [
        { name: "state", type: "selection" },
        { name: "write_date", type: "datetime" },
    ],
});
