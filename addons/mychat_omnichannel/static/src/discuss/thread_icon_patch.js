import { ThreadIcon } from "@mail/core/common/thread_icon";
import { patch } from "@web/core/utils/patch";
import { mychatProvider } from "./mychat_providers";

patch(ThreadIcon.prototype, {
    /** The MyChat channel type's icon (WhatsApp, Telegram...) for a MyChat conversation. */
    get mychatIcon() {
        const thread = this.props.thread;
        if (thread.channel_type !== "mychat") {
            return null;
        }
        return mychatProvider(thread.mychat_channel_type);
    },
});
