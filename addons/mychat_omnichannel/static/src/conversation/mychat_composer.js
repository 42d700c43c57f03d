import { Component, useRef, useState } from "@odoo/owl";
import { useEmojiPicker } from "@web/core/emoji_picker/emoji_picker";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

const CANNED_FIELDS = ["source", "substitution", "mychat_link_text", "mychat_link_url", "mychat_usage_count"];
// "/word" at the start of the text or "::word" anywhere opens the quick replies (as in Discuss)
const SHORTCUT = /(?:^\/|::)([^\s]*)$/;

/**
 * The composer of the conversation view: text, emoji, attachments, quick replies (mail.canned.response),
 * reply to a quoted message, internal note (whisper, never sent), transfer and invite; outside the reply
 * window it switches to the approved templates.
 */
export class MychatComposer extends Component {
    static template = "mychat_omnichannel.Composer";
    static props = {
        conversation: Object,
        replyTo: { optional: true },
        onCancelReply: Function,
        onSent: Function,
    };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({
            body: "",
            isNote: false,
            attachments: [],
            cannedIds: [],
            suggestions: null,
            templateId: false,
            templateValues: [],
            sending: false,
        });
        this.textareaRef = useRef("textarea");
        this.fileRef = useRef("file");
        useEmojiPicker(useRef("emojiButton"), { onSelect: (emoji) => this.insert(emoji) });
    }

    get conversationId() {
        return this.props.conversation.id;
    }

    get templateMode() {
        return !this.props.conversation.window_open && !this.state.isNote;
    }

    get template() {
        return this.props.conversation.templates.find((t) => t.id === this.state.templateId);
    }

    get templatePreview() {
        const values = this.state.templateValues;
        return (this.template?.body || "").replace(/\{\{\s*(\d+)\s*\}\}/g, (match, n) => values[n - 1] || match);
    }

    get placeholder() {
        return this.state.isNote
            ? _t("Internal note: only colleagues see it")
            : _t("Write a reply… (/ or :: for quick replies)");
    }

    insert(text) {
        const el = this.textareaRef.el;
        const start = el ? el.selectionStart : this.state.body.length;
        const end = el ? el.selectionEnd : start;
        this.state.body = this.state.body.slice(0, start) + text + this.state.body.slice(end);
        el?.focus();
    }

    // ------------------------------------------------------------------
    // Quick replies
    // ------------------------------------------------------------------

    async onInput(ev) {
        this.state.body = ev.target.value;
        const match = this.state.body.slice(0, ev.target.selectionStart).match(SHORTCUT);
        if (match) {
            await this.searchCanned(match[1]);
        } else {
            this.closeSuggestions();
        }
    }

    closeSuggestions() {
        this.cannedSearch = (this.cannedSearch || 0) + 1; // drop the answers of searches still running
        this.state.suggestions = null;
    }

    async searchCanned(term) {
        const domain = term ? ["|", ["source", "ilike", term], ["substitution", "ilike", term]] : [];
        const search = (this.cannedSearch = (this.cannedSearch || 0) + 1);
        const suggestions = await this.orm.searchRead("mail.canned.response", domain, CANNED_FIELDS, {
            limit: 8,
            order: "mychat_usage_count desc, source",
        });
        if (search === this.cannedSearch) {
            this.state.suggestions = suggestions;
        }
    }

    async toggleQuickReplies() {
        if (this.state.suggestions) {
            this.closeSuggestions();
        } else {
            await this.searchCanned("");
        }
    }

    pickCanned(canned) {
        let text = canned.substitution;
        if (canned.mychat_link_url) {
            text += `\n${canned.mychat_link_text || canned.mychat_link_url}: ${canned.mychat_link_url}`;
        }
        const match = this.state.body.match(SHORTCUT);
        this.state.body = match ? this.state.body.slice(0, match.index) + text : this.state.body + text;
        if (!this.state.cannedIds.includes(canned.id)) {
            this.state.cannedIds.push(canned.id);
        }
        this.closeSuggestions();
        this.textareaRef.el?.focus();
    }

    // ------------------------------------------------------------------
    // Attachments
    // ------------------------------------------------------------------

    async onFileChange(ev) {
        for (const file of ev.target.files) {
            const datas = await new Promise((resolve) => {
                const reader = new FileReader();
                reader.onload = () => resolve(reader.result.split(",")[1]);
                reader.readAsDataURL(file);
            });
            const [id] = await this.orm.create("ir.attachment", [
                {
                    name: file.name,
                    datas,
                    mimetype: file.type || "application/octet-stream",
                    res_model: "mychat.conversation",
                    res_id: this.conversationId,
                },
            ]);
            this.state.attachments.push({ id, name: file.name });
        }
        ev.target.value = "";
    }

    removeAttachment(attachment) {
        this.state.attachments = this.state.attachments.filter((a) => a.id !== attachment.id);
    }

    // ------------------------------------------------------------------
    // Sending
    // ------------------------------------------------------------------

    onKeydown(ev) {
        if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
            ev.preventDefault();
            this.send();
        } else if (ev.key === "Escape") {
            this.closeSuggestions();
        }
    }

    get canSend() {
        if (this.state.sending) {
            return false;
        }
        if (this.templateMode) {
            return Boolean(this.template);
        }
        return Boolean(this.state.body.trim() || (this.state.attachments.length && !this.state.isNote));
    }

    async send() {
        if (!this.canSend) {
            return;
        }
        this.state.sending = true;
        try {
            const ids = [this.conversationId];
            if (this.templateMode) {
                await this.orm.call("mychat.conversation", "send_template", [ids, this.state.templateId], {
                    values: this.state.templateValues.slice(0, this.template.variable_count),
                });
                Object.assign(this.state, { templateId: false, templateValues: [] });
            } else if (this.state.isNote) {
                await this.orm.call("mychat.conversation", "action_post_note", [ids, this.state.body.trim()]);
                this.state.body = "";
            } else {
                await this.orm.call("mychat.conversation", "mychat_composer_send", [ids, this.state.body], {
                    attachment_ids: this.state.attachments.map((a) => a.id),
                    reply_to_id: this.props.replyTo?.id || false,
                    canned_response_ids: this.state.cannedIds,
                });
                Object.assign(this.state, { body: "", attachments: [], cannedIds: [] });
            }
            await this.props.onSent();
        } finally {
            this.state.sending = false;
        }
    }

    onTemplateChange(ev) {
        this.state.templateId = parseInt(ev.target.value) || false;
        this.state.templateValues = Array(this.template?.variable_count || 0).fill("");
    }

    async onTransfer(ev, method) {
        const userId = parseInt(ev.target.value);
        ev.target.value = "";
        if (!userId) {
            return;
        }
        await this.orm.call("mychat.conversation", method, [[this.conversationId], userId]);
        this.notification.add(method === "mychat_transfer" ? _t("Conversation transferred") : _t("Colleague invited"), {
            type: "success",
        });
        await this.props.onSent();
    }
}
