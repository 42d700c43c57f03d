import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { url } from "@web/core/utils/urls";

// The bus events that pop up, with optional title/type/sticky; other addons add theirs (live_routing: sla, owner).
const alertKinds = registry.category("mychat_alert_kinds");
alertKinds.add("message", {}).add("invite", {}).add("assigned", {});

/**
 * Agents never miss a customer message: a popup, and a sound unless the user turned it off in their
 * preferences (res.users.mychat_notify_sound), for each message of a conversation assigned to them or to
 * their team, even while the tab is in front; and an event other components (conversation view, systray)
 * listen to in order to refresh.
 */
export const mychatNotificationService = {
    dependencies: ["bus_service", "notification", "action", "orm"],
    start(env, { bus_service, notification, action, orm }) {
        let soundEnabled;
        async function playSound() {
            if (soundEnabled === undefined) {
                const [prefs] = await orm.read("res.users", [user.userId], ["mychat_notify_sound"]);
                soundEnabled = prefs.mychat_notify_sound;
            }
            if (soundEnabled) {
                new Audio(url("/mail/static/src/audio/new-message.ogg")).play().catch(() => {});
            }
        }
        bus_service.subscribe("mychat/conversation", (payload) => {
            env.bus.trigger("MYCHAT:CONVERSATION", payload);
            const alert = alertKinds.get(payload.kind, null);
            if (!alert || (payload.kind === "message" && payload.direction !== "inbound")) {
                return;
            }
            playSound();
            notification.add(payload.preview || payload.name || _t("New message"), {
                title: alert.title || payload.name,
                type: alert.type || (payload.assigned_to_me || payload.kind !== "message" ? "warning" : "info"),
                sticky: alert.sticky || false,
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
