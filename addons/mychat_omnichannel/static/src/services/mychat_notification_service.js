import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

/**
 * Agents never miss a customer message: a popup (and the browser's sound for
 * notifications) for each message of a conversation assigned to them or to
 * their team, and an event other components listen to in order to refresh.
 */
export const mychatNotificationService = {
    dependencies: ["bus_service", "notification", "action"],
    start(env, { bus_service, notification, action }) {
        bus_service.subscribe("mychat/conversation", (payload) => {
            env.bus.trigger("MYCHAT:CONVERSATION", payload);
            if (payload.kind !== "message" || payload.direction !== "inbound") {
                return;
            }
            notification.add(payload.preview || _t("New message"), {
                title: payload.name,
                type: payload.assigned_to_me ? "warning" : "info",
                sticky: false,
                buttons: [
                    {
                        name: _t("Open"),
                        primary: true,
                        onClick: () =>
                            action.doAction({
                                type: "ir.actions.act_window",
                                res_model: "mychat.conversation",
                                res_id: payload.conversation_id,
                                views: [[false, "form"]],
                            }),
                    },
                ],
            });
        });
        bus_service.start();
    },
};

registry.category("services").add("mychat_notification", mychatNotificationService);
