import { Component, onWillStart, useState } from "@odoo/owl";
import { localization } from "@web/core/l10n/localization";
import { rpc } from "@web/core/network/rpc";
import { useService } from "@web/core/utils/hooks";

/**
 * Who answers and when, shown to the website visitor: the assigned agent's (or the team's) photo and
 * name, "Online now" or "Back at Sunday 09:00" (the team's opening hours, in the visitor's time zone and
 * language), from the same availability and working hours MyChat routing uses.
 */
export class MychatAvailability extends Component {
    static template = "mychat_omnichannel.Availability";
    static props = ["thread"];

    get direction() {
        return localization.direction || "ltr";
    }

    setup() {
        this.livechatService = useService("im_livechat.livechat");
        this.state = useState({ info: null });
        onWillStart(() => this.load());
    }

    async load() {
        const thread = this.props.thread;
        try {
            this.state.info = await rpc(
                "/mychat/livechat/availability",
                {
                    channel_id: this.livechatService.options.channel_id,
                    session_id: thread && !thread.isTransient ? thread.id : false,
                    tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
                },
                { silent: true }
            );
        } catch {
            this.state.info = null;
        }
    }
}
