package io.syncline.connector.rest;

import java.net.URI;

/** An opaque cursor in the body ({@code paging.next.after}, HubSpot) sent back as a query parameter ({@code after}). */
final class CursorPages extends LinkedPages {

    CursorPages(RestSettings.Pagination pagination) {
        super(pagination);
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        String cursor = page.text(pagination.cursorField());
        return cursor == null ? null : QueryStrings.with(page.uri(), pagination.cursorParam(), cursor);
    }
}
