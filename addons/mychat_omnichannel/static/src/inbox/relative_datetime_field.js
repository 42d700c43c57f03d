import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const { DateTime } = luxon;

/** A message time as Discuss shows it: the time today, the weekday this week, else the date; never
 * seconds. The full date and time is the tooltip. */
export class MychatRelativeDatetimeField extends Component {
    static template = "mychat_omnichannel.RelativeDatetimeField";
    static props = { ...standardFieldProps };

    get value() {
        return this.props.record.data[this.props.name];
    }

    get short() {
        const value = this.value;
        if (!value) {
            return "";
        }
        const now = DateTime.local();
        if (value.hasSame(now, "day")) {
            return value.toLocaleString(DateTime.TIME_SIMPLE);
        }
        if (now.diff(value, "days").days < 6) {
            return value.toFormat("ccc") + " " + value.toLocaleString(DateTime.TIME_SIMPLE);
        }
        return value.toLocaleString(DateTime.DATE_MED);
    }

    get full() {
        return this.value ? this.value.toLocaleString(DateTime.DATETIME_MED) : "";
    }
}

registry.category("fields").add("mychat_relative_datetime", {
    component: MychatRelativeDatetimeField,
    displayName: "MyChat relative date",
    supportedTypes: ["datetime"],
});
