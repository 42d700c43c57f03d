import { fields } from "@mail/core/common/record";
import { DiscussApp } from "@mail/core/public_web/discuss_app_model";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(DiscussApp.prototype, {
    setup(env) {
        super.setup(...arguments);
        /** The customer conversations (WhatsApp, Telegram, Messenger, Instagram, SMS, chatbots). */
        this.mychatCategory = fields.One("DiscussAppCategory", {
            compute() {
                return {
                    extraClass: "o-mail-DiscussSidebarCategory-mychat",
                    hideWhenEmpty: true,
                    icon: "fa fa-comments-o",
                    id: "mychat_omnichannel.category",
                    name: _t("MyChat"),
                    sequence: 22,
                };
            },
            eager: true,
        });
        this.mychats = fields.Many("Thread", { inverse: "appAsMychats" });
    },
});
