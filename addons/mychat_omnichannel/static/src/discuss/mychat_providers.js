import { _t } from "@web/core/l10n/translation";

/** The icon and label of each MyChat channel type, as Discuss shows them (sidebar, chat windows, menu). */
export const MYCHAT_PROVIDERS = {
    whatsapp: { icon: "fa fa-whatsapp", label: _t("WhatsApp") },
    telegram: { icon: "fa fa-telegram", label: _t("Telegram") },
    messenger: { icon: "fa fa-facebook", label: _t("Messenger") },
    instagram: { icon: "fa fa-instagram", label: _t("Instagram") },
    sms: { icon: "fa fa-mobile", label: _t("SMS") },
    chatbot: { icon: "fa fa-android", label: _t("Chatbot") },
    livechat: { icon: "fa fa-comments", label: _t("Website live chat") },
};

export function mychatProvider(key) {
    return MYCHAT_PROVIDERS[key] || { icon: "fa fa-comments-o", label: _t("MyChat") };
}

/** "2h 05m" style durations for the reply window countdown. */
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
