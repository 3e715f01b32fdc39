package io.syncline.connector.rest;

import java.net.URI;

/**
 * The styles where the server says where the next page is (a cursor, a next URL, a Link
 * header): the first page asks only for the page size; what comes next is the subclass's.
 */
abstract class LinkedPages implements PageStrategy {

    protected final RestSettings.Pagination pagination;

    LinkedPages(RestSettings.Pagination pagination) {
        this.pagination = pagination;
    }

    @Override
    public final URI first(URI resource, int pageSize) {
        return QueryStrings.with(resource, PageStrategy.limitParam(pagination), Integer.toString(pageSize));
    }
}
