import { Message } from "@mail/core/common/message_model";
import { patch } from "@web/core/utils/patch";

patch(Message.prototype, {
    /** A message that went to (or came from) the customer cannot be edited nor deleted here: what the
     * customer has is theirs; an agent's reply is withdrawn instead (the "Withdraw" action). */
    get editable() {
        return !this.mychat_message_id && super.editable;
    },
});
