package io.syncline.connector.rest;

import io.syncline.model.ProblemReporter;

/**
 * What a REST system's webhook needs: its signing header, an hmac signature's settings (and none
 * of them for another scheme), events at paths, a 2xx answer; and, once an entity takes webhooks
 * from the system, its signing secret ({@link #checkSource}).
 */
final class RestWebhookRules {

    private RestWebhookRules() {
    }

    /**
     * A system an entity takes webhooks from ({@code path} is that line): a signed webhook needs its
     * secret there. A preset's webhook is signed whether or not anyone listens, so the secret is
     * asked for only where someone does.
     */
    static void checkSource(String path, String system, RestSettings.Webhook webhook, ProblemReporter problems) {
        RestSettings.SignatureScheme scheme = webhook == null ? null : webhook.signature();
        if (scheme != null && scheme != RestSettings.SignatureScheme.NONE && webhook.secret() == null && webhook.handshake() == null) {
            problems.report(path, system + "'s webhook is signed: it needs its signing secret",
                    "add webhook: {secret: {env: …}} to system " + system);
        }
    }

    static void check(String path, RestSettings.Webhook webhook, ProblemReporter problems) {
        RestSettings.SignatureScheme scheme = webhook.signature();
        if ((scheme == RestSettings.SignatureScheme.HMAC_SHA256 || scheme == RestSettings.SignatureScheme.HMAC)
                && webhook.header() == null) {
            problems.report(path, scheme == RestSettings.SignatureScheme.HMAC ? "hmac needs the header that carries the signature"
                    : "hmac-sha256 needs the header that carries the signature", "add header: X-Signature");
        }
        if (webhook.toleranceSeconds() != null && webhook.toleranceSeconds() <= 0) {
            problems.report(path + ".toleranceSeconds", "toleranceSeconds must be positive", "write toleranceSeconds: 300");
        }
        if (webhook.events() != null) {
            checkEvents(path + ".events", webhook.events(), problems);
        }
        if (webhook.answer() != null && webhook.answer().status() != null
                && (webhook.answer().status() < 200 || webhook.answer().status() > 299)) {
            problems.report(path + ".answer.status", "a stored webhook is answered with a 2xx status, not "
                    + webhook.answer().status(), "write status: 200 (or 202, the default)");
        }
        if (webhook.challenge() != null && (webhook.challenge().header() == null) == (webhook.challenge().query() == null)) {
            problems.report(path + ".challenge", "a verification request carries its value in a header or in a query"
                    + " parameter: name one of them",
                    "write challenge: {header: X-Okta-Verification-Challenge, answer:"
                            + " verification} or challenge: {query: validationToken}");
        }
        if (webhook.handshake() != null && (webhook.handshake().header() == null) == (webhook.handshake().field() == null)) {
            problems.report(path + ".handshake", "a handshake carries the secret in a header or in a field of its JSON"
                    + " body: name one of them", "write handshake: {header: X-Hook-Secret} or handshake: {field: verification_token}");
        }
        if (webhook.handshake() != null && (scheme == null || scheme == RestSettings.SignatureScheme.NONE)) {
            problems.report(path + ".handshake", "a handshake hands over the secret that signs the deliveries, and this"
                    + " webhook is unsigned",
                    "add the signature the secret signs with (signature: hmac, header, algorithm,"
                            + " encoding), or remove handshake");
        }
        if (scheme == RestSettings.SignatureScheme.HMAC) {
            checkHmac(path, webhook, problems);
        } else {
            // Settings of the hmac scheme that another scheme would silently ignore.
            String[] keys = {"algorithm", "encoding", "prefix", "timestamp"};
            Object[] values = {webhook.algorithm(), webhook.encoding(), webhook.prefix(), webhook.timestamp()};
            for (int i = 0; i < keys.length; i++) {
                if (values[i] != null) {
                    problems.report(path + "." + keys[i], keys[i] + " describes a signature: hmac and would do nothing for "
                            + (scheme == null ? "an unsigned webhook" : "signature " + schemeName(scheme)),
                            "remove it, or write signature: hmac with header, algorithm, encoding and (where signed) timestamp");
                }
            }
        }
    }

    /** A list path: dotted field names, each may end in {@code []}, the last must; {@code []} alone is the body. */
    private static final java.util.regex.Pattern LIST_PATH =
            java.util.regex.Pattern.compile("\\[\\]|(\\[\\]\\.)?([^.\\[\\]]+(\\[\\])?\\.)*[^.\\[\\]]+\\[\\]");
    private static final java.util.regex.Pattern FIELD_PATH = java.util.regex.Pattern.compile("[^.\\[\\]]+(\\.[^.\\[\\]]+)*");
    /** An event id's fields: one field path or several joined by +, each may read the enclosing list's element (^). */
    private static final java.util.regex.Pattern ID_PATHS =
            java.util.regex.Pattern.compile("\\^?[^.\\[\\]+^]+(\\.[^.\\[\\]+^]+)*(\\+\\^?[^.\\[\\]+^]+(\\.[^.\\[\\]+^]+)*)*");
    /** A field an {@code only} filter reads: a field path, or one of the enclosing list's element (^). */
    private static final java.util.regex.Pattern ONLY_PATH = java.util.regex.Pattern.compile("\\^?[^.\\[\\]^]+(\\.[^.\\[\\]^]+)*");

    private static void checkEvents(String path, RestSettings.WebhookEvents events, ProblemReporter problems) {
        if (events.list() != null && !LIST_PATH.matcher(events.list()).matches()) {
            problems.report(path + ".list", "'" + events.list() + "' is not a path to an array of events",
                    "write list: \"[]\" for a body that is an array, or a path ending in [] such as events[]"
                            + " or eventNotifications[].dataChangeEvent.entities[]");
        }
        if (events.id() != null && !ID_PATHS.matcher(events.id()).matches()) {
            problems.report(path + ".id", "'" + events.id() + "' is not a field path within an event, nor several joined by +",
                    "write a dotted path such as eventId, or name+id+lastUpdated where the sender gives no id"
                            + " (^realmId reads the element of the list around the event)");
        }
        String[] keys = {"record", "recordId"};
        String[] values = {events.record(), events.recordId()};
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != null && !FIELD_PATH.matcher(values[i]).matches()) {
                problems.report(path + "." + keys[i], "'" + values[i] + "' is not a field path within an event",
                        "write a dotted path such as eventId or data.object");
            }
        }
        if (events.only() != null) {
            events.only().forEach((field, value) -> {
                if (!ONLY_PATH.matcher(field).matches()) {
                    problems.report(path + ".only." + field, "'" + field + "' is not a field path within an event",
                            "write a dotted path such as name, or ^realmId for a field of the list's element around the event");
                }
                if (value == null) {
                    problems.report(path + ".only." + field, "only needs the value the field must have",
                            "write " + field + ": <value>");
                }
            });
        }
    }

    private static void checkHmac(String path, RestSettings.Webhook webhook, ProblemReporter problems) {
        RestSettings.SignedTimestamp timestamp = webhook.timestamp();
        if (timestamp == null) {
            if (webhook.toleranceSeconds() != null) {
                problems.report(path + ".toleranceSeconds", "toleranceSeconds needs a signed timestamp to check",
                        "add timestamp: {header: X-Signature-Timestamp, format: unix-seconds}, or remove toleranceSeconds");
            }
            return;
        }
        if (timestamp.header() == null || timestamp.header().isBlank()) {
            problems.report(path + ".timestamp", "a signed timestamp needs the header that carries it",
                    "add header: X-Signature-Timestamp");
        }
        if (timestamp.format() == null) {
            problems.report(path + ".timestamp", "a signed timestamp needs its format",
                    "add format: unix-seconds | unix-millis | iso-8601 | date");
        }
    }

    private static String schemeName(RestSettings.SignatureScheme scheme) {
        return scheme.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
