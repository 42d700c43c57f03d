import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { channelIcon } from "./channel_icons";

/** A channel type as its icon and name (``icon_only``: the icon, the name as its tooltip). */
export class MychatChannelIconField extends Component {
    static template = "mychat_omnichannel.ChannelIconField";
    static props = { ...standardFieldProps, iconOnly: { type: Boolean, optional: true } };

    get value() {
        return this.props.record.data[this.props.name];
    }

    get icon() {
        return channelIcon(this.value);
    }

    get label() {
        const selection = this.props.record.fields[this.props.name].selection || [];
        return (selection.find(([key]) => key === this.value) || [this.value, ""])[1];
    }
}

registry.category("fields").add("mychat_channel_icon", {
    component: MychatChannelIconField,
    displayName: "MyChat channel icon",
    supportedTypes: ["selection"],
    extractProps: ({ options }) => ({ iconOnly: Boolean(options.icon_only) }),
});
