import { _t } from "@web/core/l10n/translation";
import { channelIcon } from "../inbox/channel_icons";

const LABELS = {
    whatsapp: _t("WhatsApp"),
    telegram: _t("Telegram"),
    messenger: _t("Messenger"),
    instagram: _t("Instagram"),
    sms: _t("SMS"),
    chatbot: _t("Chatbot"),
    livechat: _t("Website live chat"),
};

/** The icon (the inbox's, see inbox/channel_icons.js) and label of a MyChat channel type, as Discuss shows them. */
export function mychatProvider(key) {
    return { icon: `fa ${channelIcon(key)}`, label: LABELS[key] || _t("MyChat") };
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
