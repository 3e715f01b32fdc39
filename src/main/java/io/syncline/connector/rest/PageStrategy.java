package io.syncline.connector.rest;

import java.net.URI;

/**
 * How a REST source pages: where the first page is, and where the next one is after a page.
 * One implementation per {@code pagination.style}.
 */
interface PageStrategy {

    URI first(URI resource, int pageSize);

    /** The next page's address, or null when {@code page} was the last. */
    URI next(RestPage page, int pageSize);

    static PageStrategy of(RestSettings.Pagination pagination) {
        return switch (pagination.style()) {
            case CURSOR -> new CursorPages(pagination);
            case LAST_ID -> new LastIdPages(pagination);
            case OFFSET -> CountedPages.offsets(pagination);
            case PAGE -> CountedPages.numbers(pagination);
            case LINK_HEADER -> new LinkHeaderPages(pagination);
            case NEXT_URL -> new NextUrlPages(pagination);
        };
    }

    /** The page size parameter a style uses when the model names none. */
    static String limitParam(RestSettings.Pagination pagination) {
        return pagination.limitParam() == null ? "limit" : pagination.limitParam();
    }
}
