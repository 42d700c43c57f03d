import { fields } from "@mail/core/common/record";
import { Thread } from "@mail/core/common/thread_model";
import { patch } from "@web/core/utils/patch";

const { DateTime } = luxon;

/**
 * A discuss.channel of type "mychat" is a customer conversation: a chat (unread counter, chat window,
 * messaging menu) in the MyChat sidebar category. The `mychat_*` fields (readme/DISCUSS.md, sent to internal
 * users, also on live chat sessions that are MyChat conversations) carry the conversation, the MyChat channel
 * type and the reply window.
 */
patch(Thread.prototype, {
    setup() {
        super.setup(...arguments);
        /** @type {number|false|undefined} */
        this.mychat_conversation_id = undefined;
        /** @type {string|false|undefined} whatsapp, telegram, messenger, instagram, sms, chatbot, livechat */
        this.mychat_channel_type = undefined;
        /** @type {string|false|undefined} */
        this.mychat_channel_name = undefined;
        /** @type {string|false|undefined} */
        this.mychat_state = undefined;
        this.mychat_window_expires_at = fields.Datetime();
        /** @type {boolean|undefined} */
        this.mychat_window_open = undefined;
        /** @type {string[]|undefined} */
        this.mychat_composer_features = undefined;
        /** @type {number|false|undefined} */
        this.mychat_partner_id = undefined;
        this.appAsMychats = fields.One("DiscussApp", {
            compute() {
                return this.channel_type === "mychat" ? this.store.discuss : null;
            },
        });
    },
    get isMychat() {
        return this.channel_type === "mychat" || Boolean(this.mychat_conversation_id);
    },
    get isChatChannel() {
        return this.channel_type === "mychat" || super.isChatChannel;
    },
    get allowedToLeaveChannelTypes() {
        return [...super.allowedToLeaveChannelTypes, "mychat"];
    },
    get hasMemberList() {
        return this.channel_type === "mychat" || super.hasMemberList;
    },
    get typesAllowingCalls() {
        return super.typesAllowingCalls.filter((type) => type !== "mychat");
    },
    get allowCalls() {
        return this.channel_type !== "mychat" && super.allowCalls;
    },
    get autoOpenChatWindowOnNewMessage() {
        return (
            (this.channel_type === "mychat" && !this.store.chatHub.compact && Boolean(this.self_member_id)) ||
            super.autoOpenChatWindowOnNewMessage
        );
    },
    get inChathubOnNewMessage() {
        if (this.channel_type === "mychat") {
            return Boolean(this.self_member_id);
        }
        return super.inChathubOnNewMessage;
    },
    /** The customer's partner when a member; never an agent (nor the agent alone: Discuss's "self-chat"). */
    computeCorrespondent() {
        if (this.channel_type !== "mychat") {
            return super.computeCorrespondent();
        }
        const partnerId = this.mychat_partner_id;
        return partnerId ? this.channel_member_ids.find((m) => m.partner_id?.id === partnerId) : undefined;
    },
    /**
     * The reply window: null where none applies (Telegram, live chat...); else whether it is open now and
     * how long it stays open (the server's `mychat_window_open` is true at the time it was sent only).
     */
    get mychatWindow() {
        if (!this.mychat_conversation_id || this.mychat_window_open === undefined) {
            return null;
        }
        const expires = this.mychat_window_expires_at;
        if (!expires) {
            return this.mychat_window_open ? null : { open: false, leftMs: 0, expires: null };
        }
        const leftMs = expires.diff(DateTime.now()).as("milliseconds");
        return { open: leftMs > 0, leftMs, expires };
    },
});
