import { ChatWindow } from "@mail/core/common/chat_window";
import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";

import { MychatAvailability } from "./availability";
import { MychatPrechatForm } from "./prechat_form";

Object.assign(ChatWindow.components, { MychatAvailability, MychatPrechatForm });

patch(ChatWindow.prototype, {
    setup() {
        super.setup(...arguments);
        this.mychatLivechat = useService("im_livechat.livechat");
    },
    get mychatIsVisitorChat() {
        const thread = this.props.chatWindow.thread;
        return Boolean(
            thread?.channel_type === "livechat" && this.mychatLivechat?.options?.mychat_availability
        );
    },
    get mychatShowPrechat() {
        const thread = this.props.chatWindow.thread;
        return Boolean(
            this.mychatLivechat?.options?.mychat_prechat &&
                thread?.channel_type === "livechat" &&
                thread.isTransient &&
                !thread.chatbot
        );
    },
});
