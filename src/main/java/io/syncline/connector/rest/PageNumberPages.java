package io.syncline.connector.rest;

import java.net.URI;
import java.util.Map;

/** {@code ?page=3&limit=100}, pages numbered from 1; a short page is the last. */
final class PageNumberPages implements PageStrategy {

    private final RestSettings.Pagination pagination;
    private long number;

    PageNumberPages(RestSettings.Pagination pagination) {
        this.pagination = pagination;
    }

    @Override
    public URI first(URI resource, int pageSize) {
        number = 1;
        return QueryStrings.with(resource, Map.of(pageParam(), "1", PageStrategy.limitParam(pagination), Integer.toString(pageSize)));
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        if (page.items() < pageSize) {
            return null;
        }
        number++;
        return QueryStrings.with(page.uri(), pageParam(), Long.toString(number));
    }

    private String pageParam() {
        return pagination.pageParam() == null ? "page" : pagination.pageParam();
    }
}
