import { Message } from "@mail/core/common/message";
import { useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { user } from "@web/core/user";
import { patch } from "@web/core/utils/patch";

const TICKS = {
    queued: { icon: "fa fa-clock-o", title: _t("Queued") },
    sending: { icon: "fa fa-clock-o", title: _t("Sending") },
    sent: { icon: "fa fa-check", title: _t("Sent") },
    delivered: { icon: "fa fa-check o_mychat_double", title: _t("Delivered") },
    read: { icon: "fa fa-check o_mychat_double text-info", title: _t("Read") },
    failed: { icon: "fa fa-exclamation-circle text-danger", title: _t("Not delivered") },
};

/**
 * Delivery ticks on the outbound messages of a MyChat conversation (queued, sent, delivered, read), the
 * failure reason in plain words and a Retry on failed ones (Retry now on those waiting for a retry) (for administrators, the technical cause behind a
 * toggle); inbound messages have none.
 */
patch(Message.prototype, {
    setup() {
        super.setup(...arguments);
        this.mychatDetail = useState({ open: false, text: null });
    },
    get mychatShowsDetail() {
        return user.isSystem;
    },
    async onClickMychatDetail() {
        this.mychatDetail.open = !this.mychatDetail.open;
        if (this.mychatDetail.open) {
            const [record] = await rpc("/web/dataset/call_kw/mychat.message/read", {
                model: "mychat.message",
                method: "read",
                args: [[this.props.message.mychat_message_id], ["failure_detail"]],
                kwargs: {},
            });
            this.mychatDetail.text = record?.failure_detail || _t("No technical detail was recorded.");
        }
    },
    get mychatTick() {
        const message = this.props.message;
        if (!message.mychat_message_id || message.mychat_direction !== "outbound") {
            return null;
        }
        const state = message.mychat_state;
        // failed, or queued again after a transient error (its reason says why; the agent may retry now)
        const problem = state === "failed" || (state === "queued" && Boolean(message.mychat_failure_reason));
        return { ...(TICKS[state] || TICKS.queued), state, problem };
    },
    async onClickMychatRetry() {
        const id = this.props.message.mychat_message_id;
        await rpc("/web/dataset/call_kw/mychat.message/action_retry", {
            model: "mychat.message",
            method: "action_retry",
            args: [[id]],
            kwargs: {},
        });
    },
});
