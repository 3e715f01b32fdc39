package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

/**
 * The next page starts after the last record read: its id sent back as a query parameter
 * ({@code starting_after=cus_…}, Stripe), while the answer says more follow ({@code has_more});
 * without such a flag, while the page was full. The id is at {@code cursorField} in each record
 * ({@code id} when it names none).
 */
final class LastIdPages extends LinkedPages {

    LastIdPages(RestSettings.Pagination pagination) {
        super(pagination);
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        boolean more = pagination.moreField() == null ? page.items() >= pageSize : page.at(pagination.moreField()) != null
                && page.at(pagination.moreField()).asBoolean(false);
        JsonNode last = page.lastItem();
        for (String step : (pagination.cursorField() == null ? "id" : pagination.cursorField()).split("\\.")) {
            last = last == null ? null : last.get(step);
        }
        if (!more || last == null || !last.isValueNode() || last.asText().isEmpty()) {
            return null;
        }
        return QueryStrings.with(page.uri(), pagination.cursorParam(), last.asText());
    }
}
