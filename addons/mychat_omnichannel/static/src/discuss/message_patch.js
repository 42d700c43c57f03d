import { Message } from "@mail/core/common/message";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
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
 * failure reason and a Retry on failed ones; inbound messages have none.
 */
patch(Message.prototype, {
    get mychatTick() {
        const message = this.props.message;
        if (!message.mychat_message_id || message.mychat_direction !== "outbound") {
            return null;
        }
        return { ...(TICKS[message.mychat_state] || TICKS.queued), state: message.mychat_state };
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
