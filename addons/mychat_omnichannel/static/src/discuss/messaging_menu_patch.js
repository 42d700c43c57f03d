import { MessagingMenu } from "@mail/core/public_web/messaging_menu";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(MessagingMenu.prototype, {
    /** On a phone, the customer conversations have their tab, with the number of unread ones. */
    get _tabs() {
        const items = super._tabs;
        if (this.store.discuss.mychats.length) {
            items.push({
                counter: this.store.discuss.mychatCategory?.threadsWithCounter.length || 0,
                id: "mychat",
                icon: "fa fa-comments-o",
                activeIcon: "fa fa-comments",
                label: _t("MyChat"),
                sequence: 50,
            });
        }
        return items;
    },
});
