/** The icon of each MyChat channel type (Font Awesome 4, shipped with Odoo). */
export const CHANNEL_ICONS = {
    whatsapp: "fa-whatsapp",
    telegram: "fa-telegram",
    messenger: "fa-facebook",
    instagram: "fa-instagram",
    sms: "fa-mobile",
    chatbot: "fa-android",
    livechat: "fa-globe",
};

export function channelIcon(channelType) {
    return CHANNEL_ICONS[channelType] || "fa-comments";
}
