import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { url } from "@web/core/utils/urls";

// The bus events that pop up, with optional title/type/sticky; other addons add theirs (live_routing: sla, owner).
// Customer messages are not among them: they arrive in Discuss (unread counter, sound, web push), the
// assigned agent being a member of the conversation's channel.
const alertKinds = registry.category("mychat_alert_kinds");
alertKinds.add("invite", {}).add("assigned", {});

/**
 * Assignments, invitations (and the alerts other addons register: SLA, owner) pop up, with a sound unless
 * the user turned it off (res.users.mychat_notify_sound); every "mychat/conversation" bus event is relayed
 * to the components that refresh on it (conversation view, systray).
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
        // the news of my teams' unassigned conversations: one bus message per team (see ir_websocket.py)
        bus_service.addChannel("mychat.team_inbox");
        bus_service.subscribe("mychat/conversation", (payload) => {
            env.bus.trigger("MYCHAT:CONVERSATION", payload);
            const alert = alertKinds.get(payload.kind, null);
            if (!alert) {
                return;
            }
            playSound();
            notification.add(payload.preview || payload.name || _t("New message"), {
                title: alert.title || payload.name,
                type: alert.type || "warning",
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
