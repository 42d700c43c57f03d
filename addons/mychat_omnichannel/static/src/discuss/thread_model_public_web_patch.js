import { Thread } from "@mail/core/common/thread_model";
import { patch } from "@web/core/utils/patch";

patch(Thread.prototype, {
    _computeDiscussAppCategory() {
        if (this.channel_type === "mychat") {
            return this.appAsMychats?.mychatCategory;
        }
        return super._computeDiscussAppCategory();
    },
});
