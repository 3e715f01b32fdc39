package io.syncline.connector.rest;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 8288 {@code Link: <https://…&page=2>; rel="next"} (GitHub, Shopify, Zendesk); no next link, no next page. */
final class LinkHeaderPages extends LinkedPages {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

    LinkHeaderPages(RestSettings.Pagination pagination) {
        super(pagination);
    }

    @Override
    public URI next(RestPage page, int pageSize) {
        for (String header : page.headers().allValues("Link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = REL_NEXT.matcher(link.group(2));
                while (rel.find()) {
                    for (String value : rel.group(1).trim().split("\\s+")) {
                        if (value.equalsIgnoreCase("next")) {
                            return page.uri().resolve(link.group(1));
                        }
                    }
                }
            }
        }
        return null;
    }
}
