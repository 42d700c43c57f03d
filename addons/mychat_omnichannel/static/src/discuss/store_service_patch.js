import { Store } from "@mail/core/common/store_service";
import { patch } from "@web/core/utils/patch";

patch(Store.prototype, {
    /** On a phone, the messaging menu's "Chats" tab lists the customer conversations too. */
    tabToThreadType(tab) {
        const threadTypes = super.tabToThreadType(tab);
        if (tab === "chat") {
            threadTypes.push("mychat");
        }
        return threadTypes;
    },
});
