import { Composer } from "@mail/core/common/composer";
import { Component, onWillUnmount, useEffect, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { formatDuration, mychatProvider } from "./mychat_providers";

const SOON_MS = 4 * 3600 * 1000;

/**
 * The rules of a MyChat channel above the Discuss composer: the reply window's countdown while it is open;
 * once it is closed, why free text cannot be sent and the approved templates (with their variables) instead.
 */
export class MychatComposerRules extends Component {
    static template = "mychat_omnichannel.ComposerRules";
    static props = { thread: Object };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({
            now: Date.now(),
            templates: null,
            fallback: null,
            templateId: false,
            values: [],
            sending: false,
        });
        this.timer = setInterval(() => (this.state.now = Date.now()), 30000);
        onWillUnmount(() => clearInterval(this.timer));
        useEffect(
            (closed) => {
                if (closed && !this.state.templates) {
                    this.loadTemplates();
                }
            },
            () => [Boolean(this.window && !this.window.open)]
        );
    }

    get window() {
        void this.state.now; // re-render with the clock
        return this.props.thread.mychatWindow;
    }

    get countdown() {
        const window = this.window;
        if (!window?.open) {
            return null;
        }
        return {
            soon: window.leftMs < SOON_MS,
            text: _t("Reply window: %(left)s left", { left: formatDuration(window.leftMs) }),
        };
    }

    get closedText() {
        return _t(
            "The reply window of %(channel)s is closed: the customer has not written recently, so only an approved template can be sent until they write again.",
            { channel: this.props.thread.mychat_channel_name || this.props.thread.displayName }
        );
    }

    async loadTemplates() {
        const ids = [[this.props.thread.mychat_conversation_id]];
        const [templates, fallback] = await Promise.all([
            this.orm.call("mychat.conversation", "mychat_discuss_templates", ids),
            this.orm.call("mychat.conversation", "mychat_window_fallback", ids),
        ]);
        Object.assign(this.state, { templates, fallback });
    }

    get fallbackLabel() {
        // the name isolated (U+2068…U+2069) so that a Hebrew name in an English sentence keeps its place
        const name = "\u2068" + this.state.fallback.partner_name + "\u2069";
        return _t("Or write to %(name)s another way:", { name });
    }

    /** The other ways to reach the customer while the window is closed (channels without one, e-mail). */
    get fallbackChannels() {
        return (this.state.fallback?.channels || []).map((channel) => ({
            ...channel,
            icon: mychatProvider(channel.channel_type).icon,
        }));
    }

    async openAction(method, args = []) {
        const action = await this.orm.call("mychat.conversation", method, [
            [this.props.thread.mychat_conversation_id],
            ...args,
        ]);
        await this.action.doAction(action, { onClose: () => this.loadTemplates() });
    }

    reachBy(channelId) {
        return this.openAction("action_mychat_reach_by", [channelId]);
    }

    async syncTemplates() {
        await this.orm.call("mychat.channel", "action_sync_templates", [[this.state.fallback.channel_id]]);
        await this.loadTemplates();
    }

    get selectedTemplate() {
        return (this.state.templates || []).find((t) => t.id === this.state.templateId);
    }

    get preview() {
        const values = this.state.values;
        return (this.selectedTemplate?.body || "").replace(/\{\{\s*(\d+)\s*\}\}/g, (match, n) => values[n - 1] || match);
    }

    get canSend() {
        const template = this.selectedTemplate;
        return (
            !this.state.sending &&
            template &&
            this.state.values.slice(0, template.variable_count).every((value) => value.trim())
        );
    }

    onTemplateChange(ev) {
        this.state.templateId = parseInt(ev.target.value) || false;
        this.state.values = Array(this.selectedTemplate?.variable_count || 0).fill("");
    }

    onValueInput(index, ev) {
        this.state.values[index] = ev.target.value;
    }

    async sendTemplate() {
        if (!this.canSend) {
            return;
        }
        this.state.sending = true;
        try {
            await this.orm.call("mychat.conversation", "send_template", [[this.props.thread.mychat_conversation_id], this.state.templateId], {
                values: this.state.values.slice(0, this.selectedTemplate.variable_count),
            });
            Object.assign(this.state, { templateId: false, values: [] });
            this.notification.add(_t("Template sent"), { type: "success" });
        } finally {
            this.state.sending = false;
        }
    }
}

Object.assign(Composer.components, { MychatComposerRules });

patch(Composer.prototype, {
    /** The MyChat thread this composer writes to (not when editing a message or in a chatter). */
    get mychatThread() {
        const thread = this.thread;
        if (this.message || !thread || thread.model !== "discuss.channel" || !thread.mychat_conversation_id) {
            return null;
        }
        return thread;
    },
    /** Outside the reply window, free text gives way to the templates. */
    get mychatTemplateMode() {
        const window = this.mychatThread?.mychatWindow;
        return Boolean(window && !window.open);
    },
});
