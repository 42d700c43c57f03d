import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

// Assignments and invitations are announced by mychat_omnichannel's notification service; routing adds
// the events only it knows about.
const TITLES = {
    sla: _t("SLA breached"),
    owner: _t("Your customer is being served"),
};

/** SLA breaches and "your customer is being served" pop up with a sound for the person concerned. */
export const mychatRoutingNotificationService = {
    dependencies: ["bus_service", "notification", "action", "mail.sound_effects"],
    start(env, { bus_service, notification, action, "mail.sound_effects": soundEffects }) {
        bus_service.subscribe("mychat/conversation", (payload) => {
            if (!TITLES[payload.kind]) {
                return;
            }
            soundEffects.play("new-message");
            notification.add(payload.preview || payload.name, {
                title: TITLES[payload.kind],
                type: payload.kind === "sla" ? "danger" : "warning",
                sticky: payload.kind === "sla",
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
    },
};

registry.category("services").add("live_routing_notification", mychatRoutingNotificationService);
