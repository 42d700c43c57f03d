import { SuggestionService } from "@mail/core/common/suggestion_service";
import { patch } from "@web/core/utils/patch";

patch(SuggestionService.prototype, {
    /** The quick replies used most with customers come first (mail.canned.response.mychat_usage_count). */
    searchCannedResponseSuggestions(cleanedSearchTerm) {
        const result = super.searchCannedResponseSuggestions(...arguments);
        result.suggestions.sort((c1, c2) => (c2.mychat_usage_count || 0) - (c1.mychat_usage_count || 0));
        return result;
    },
});
