package io.syncline.connector.rest;

import java.net.URI;
import java.util.Map;

/** {@code ?offset=200&limit=100}: the next page starts where this one ended; a short page is the last. */
final class OffsetPages implements PageStrategy {

    private final RestSettings.Pagination pagination;
    private long offset;

    OffsetPages(RestSettings.Pagination pagination) {
        this.pagination = pagination;
    }

    @Override
    public URI first(URI resource, int pageSize) {
        offset = 0;
        return QueryStrings.with(resource, Map.of(offsetParam(), "0", PageStrategy.limitParam(pagination), Integer.toString(pageSize)));
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        if (page.items() < pageSize) {
            return null;
        }
        offset += page.items();
        return QueryStrings.with(page.uri(), offsetParam(), Long.toString(offset));
    }

    private String offsetParam() {
        return pagination.offsetParam() == null ? "offset" : pagination.offsetParam();
    }
}
