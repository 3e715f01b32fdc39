package io.syncline.connector.salesforce;

import java.util.regex.Pattern;

/**
 * The kind of a Salesforce call, from its method and path, as calls are counted:
 * {@code login}, {@code logout}, {@code query}, {@code create}, {@code update}, {@code upsert},
 * {@code delete}, {@code fetch}, {@code collections}, {@code bulk-query}, {@code bulk-ingest},
 * {@code limits} (the org's own limits), {@code other}.
 */
public final class SalesforceCallKinds {

    /** A read of the org's own limits ({@code GET /limits}). */
    public static final String LIMITS = "limits";

    private static final Pattern UPSERT = Pattern.compile(".*/sobjects/[^/]+/[^/]+/[^/]+/?");
    private static final Pattern ONE_RECORD = Pattern.compile(".*/sobjects/[^/]+/[^/]+/?");

    private SalesforceCallKinds() {
    }

    public static String of(String method, String path) {
        if (path.startsWith("/services/oauth2/token")) {
            return "login";
        }
        if (path.startsWith("/services/oauth2/revoke")) {
            return "logout";
        }
        if (path.contains("/composite/sobjects")) {
            return "collections";
        }
        if (path.contains("/jobs/query")) {
            return "bulk-query";
        }
        if (path.contains("/jobs/ingest")) {
            return "bulk-ingest";
        }
        if (path.matches(".*/services/data/v[0-9.]+/limits/?")) {
            return LIMITS;
        }
        if (path.matches(".*/services/data/v[0-9.]+/query(All)?(/.*)?")) {
            return "query";
        }
        if (path.contains("/sobjects/")) {
            if (UPSERT.matcher(path).matches() && "PATCH".equals(method)) {
                return "upsert";
            }
            boolean one = ONE_RECORD.matcher(path).matches();
            return switch (method) {
                case "POST" -> "create";
                case "PATCH" -> one ? "update" : "other";
                case "DELETE" -> "delete";
                case "GET" -> "fetch";
                default -> "other";
            };
        }
        return "other";
    }
}
