package io.syncline.connector.rest;

import java.net.URI;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Pages asked for by a count in the query: {@code ?offset=200&limit=100}, where the next page
 * starts where this one ended, or {@code ?page=3&limit=100}, pages numbered from 1. A short page
 * is the last.
 */
final class CountedPages implements PageStrategy {

    private final RestSettings.Pagination pagination;
    private final String param;
    private final long start;
    /** How far a page moves the count: its records for an offset, one for a page number. */
    private final ToLongFunction<RestPage> step;
    private long count;

    private CountedPages(RestSettings.Pagination pagination, String param, long start, ToLongFunction<RestPage> step) {
        this.pagination = pagination;
        this.param = param;
        this.start = start;
        this.step = step;
    }

    /** {@code ?offset=200&limit=100}. */
    static CountedPages offsets(RestSettings.Pagination pagination) {
        return new CountedPages(pagination, pagination.offsetParam() == null ? "offset" : pagination.offsetParam(), 0,
                RestPage::items);
    }

    /** {@code ?page=3&limit=100}, from 1. */
    static CountedPages numbers(RestSettings.Pagination pagination) {
        return new CountedPages(pagination, pagination.pageParam() == null ? "page" : pagination.pageParam(), 1, page -> 1);
    }

    @Override
    public URI first(URI resource, int pageSize) {
        count = start;
        return QueryStrings.with(resource, Map.of(param, Long.toString(start), PageStrategy.limitParam(pagination),
                Integer.toString(pageSize)));
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        if (page.items() < pageSize) {
            return null;
        }
        count += step.applyAsLong(page);
        return QueryStrings.with(page.uri(), param, Long.toString(count));
    }
}
