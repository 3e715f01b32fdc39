package io.syncline.connector.rest;

import java.net.URI;

/** The body carries the next page's URL ({@code next}, {@code links.next}, Salesforce-like {@code nextRecordsUrl}). */
final class NextUrlPages extends LinkedPages {

    NextUrlPages(RestSettings.Pagination pagination) {
        super(pagination);
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        String next = page.text(pagination.nextUrlField() == null ? "next" : pagination.nextUrlField());
        return next == null ? null : page.uri().resolve(next);
    }
}
