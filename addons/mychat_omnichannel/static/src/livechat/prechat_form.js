import { Component, onWillStart, useState } from "@odoo/owl";
import { localization } from "@web/core/l10n/localization";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";

/**
 * The pre-chat form of a website live chat channel (im_livechat.channel.mychat_prechat): shown in the
 * visitor's chat window before the first message. Its answers travel with the creation of the session
 * (get_session's ``mychat_prechat``) and are validated again by the server.
 */
export class MychatPrechatForm extends Component {
    static template = "mychat_omnichannel.PrechatForm";
    static props = ["thread"];

    get direction() {
        return localization.direction || "ltr";
    }

    setup() {
        this.livechatService = useService("im_livechat.livechat");
        this.options = this.livechatService.options.mychat_prechat;
        this.state = useState({
            answers: { name: "", email: "", phone: "", question: "" },
            errors: {},
            sending: false,
        });
        this.labels = {
            name: _t("Your name"),
            email: _t("Email"),
            phone: _t("Phone"),
            question: this.options.question,
        };
        onWillStart(async () => {
            this.captcha = await this.loadCaptcha();
        });
    }

    get visibleFields() {
        return ["name", "email", "phone", "question"].filter(
            (key) => this.options.fields[key] !== "hidden"
        );
    }

    isRequired(key) {
        return this.options.fields[key] === "required";
    }

    inputType(key) {
        return { email: "email", phone: "tel" }[key] || "text";
    }

    async loadCaptcha() {
        // Odoo's own captcha, when google_recaptcha (or website_cf_turnstile) is installed in this bundle
        if (!this.options.captcha) {
            return null;
        }
        try {
            const { ReCaptcha } = await odoo.loader.modules.get("@google_recaptcha/js/recaptcha") || {};
            if (!ReCaptcha) {
                return null;
            }
            const captcha = new ReCaptcha();
            await captcha.loadLibs();
            return captcha;
        } catch {
            return null;
        }
    }

    async onSubmit(ev) {
        ev.preventDefault();
        if (this.state.sending) {
            return;
        }
        this.state.sending = true;
        try {
            const answers = { ...this.state.answers };
            const { errors } = await rpc("/mychat/livechat/prechat/check", {
                channel_id: this.livechatService.options.channel_id,
                answers,
            });
            this.state.errors = errors || {};
            if (Object.keys(this.state.errors).length) {
                return;
            }
            const extra = { mychat_prechat: answers };
            if (this.captcha) {
                const token = await this.captcha.getToken("mychat_prechat");
                if (token.token) {
                    extra.recaptcha_token_response = token.token;
                }
            }
            // the session starts now: the saved thread replaces this temporary one (and this form)
            this.livechatService.mychatPrechatParams = extra;
            const saved = await this.livechatService.persist(this.props.thread);
            // the session exists: show it now (the stock flow swaps only after the first message)
            saved?.readyToSwapDeferred?.resolve();
        } finally {
            this.state.sending = false;
        }
    }
}
