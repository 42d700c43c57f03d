import { LivechatService } from "@im_livechat/embed/common/livechat_service";
import { patch } from "@web/core/utils/patch";

patch(LivechatService.prototype, {
    getSessionExtraParams(thread, options) {
        // the pre-chat answers (and captcha token) go with the creation of the session
        return { ...super.getSessionExtraParams(thread, options), ...(this.mychatPrechatParams || {}) };
    },
});
