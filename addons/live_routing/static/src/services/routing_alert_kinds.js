import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";

// Routing's own alerts pop up (with the user's sound preference) through mychat_omnichannel's notification
// service; assignments and invitations are already among its kinds.
registry
    .category("mychat_alert_kinds")
    .add("sla", { title: _t("SLA breached"), type: "danger", sticky: true })
    .add("owner", { title: _t("Your customer is being served") });
