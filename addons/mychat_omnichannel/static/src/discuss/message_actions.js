import { registerMessageAction } from "@mail/core/common/message_actions";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";

/** Take back a mistaken reply: deleted for the customer where the channel allows it, else marked withdrawn. */
registerMessageAction("mychat-withdraw", {
    condition: ({ message }) =>
        Boolean(message.mychat_message_id) &&
        message.mychat_direction === "outbound" &&
        message.mychat_author_kind === "agent" &&
        message.isSelfAuthored &&
        !message.isEmpty,
    icon: "fa fa-undo",
    name: _t("Withdraw from the customer"),
    onSelected: ({ message, store }) =>
        store.env.services.dialog.add(ConfirmationDialog, {
            title: _t("Withdraw this reply?"),
            body: _t(
                "The message is deleted for the customer where the channel allows it; otherwise it is only marked withdrawn here."
            ),
            confirmLabel: _t("Withdraw"),
            confirm: () =>
                rpc("/web/dataset/call_kw/mychat.message/action_withdraw", {
                    model: "mychat.message",
                    method: "action_withdraw",
                    args: [[message.mychat_message_id]],
                    kwargs: {},
                }),
            cancel: () => {},
        }),
    sequence: 95,
});
