package io.syncline.model;

import java.net.URI;

/** What each kind of system needs to be usable; each gap is one problem with its fix. */
final class SystemRules {

    private SystemRules() {
    }

    static void check(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        // An UnknownSystem was already reported while reading.
        if (system instanceof JdbcSystem jdbc) {
            checkJdbc(path, jdbc, environment, problems);
        } else if (system instanceof RestSystem rest) {
            checkRest(path, rest, environment, problems);
        } else if (system instanceof SalesforceSystem salesforce) {
            checkSalesforce(path, salesforce, problems);
        }
    }

    private static void checkJdbc(String path, JdbcSystem jdbc, Environment environment, ProblemReporter problems) {
        if ((jdbc.datasource() == null) == (jdbc.url() == null)) {
            problems.report(path, "a JDBC system needs exactly one of datasource or url",
                    "write datasource: <name of a quarkus.datasource> or url: jdbc:… with username/password from {env: …}");
        }
        if (jdbc.datasource() != null && (jdbc.username() != null || jdbc.password() != null)) {
            problems.report(path, "username and password belong to the url form; a Quarkus datasource has its own",
                    "remove them, and set quarkus.datasource." + jdbc.datasource() + ".username/password instead");
        }
        if (jdbc.url() != null) {
            checkJdbcUrl(path, jdbc, environment, problems);
        }
    }

    private static void checkJdbcUrl(String path, JdbcSystem jdbc, Environment environment, ProblemReporter problems) {
        String url = jdbc.url().literalOrResolve(environment);
        if (url == null) {
            problems.report(path + ".url", "environment variable " + jdbc.url().env() + " is not set",
                    "set " + jdbc.url().env() + " to the JDBC URL, e.g. jdbc:mariadb://erp-db:3306/erp");
        } else if (JdbcUrls.driverOf(url).isEmpty()) {
            problems.report(path + ".url", JdbcUrls.prefix(url) + " is not the URL of a supported database", JdbcUrls.fix(url));
        }
        if (jdbc.username() == null) {
            problems.report(path, "a JDBC url needs the database user", "add username: {env: …} (password: {env: …} too, unless the account has none)");
        }
    }

    private static void checkRest(String path, RestSystem rest, Environment environment, ProblemReporter problems) {
        if (rest.baseUrl() == null || !isHttpUrl(rest.baseUrl())) {
            problems.report(path + ".baseUrl", "a REST system needs an http(s) baseUrl", rest.preset() == null
                    ? "write baseUrl: https://api.example.com/v1"
                    : "write baseUrl: the address of your " + rest.preset() + " account (docs/connectors/" + rest.preset() + ".md)");
        }
        if (rest.auth() != null) {
            checkAuth(path + ".auth", rest.auth(), problems);
            if (rest.auth().type() == RestSystem.AuthType.OAUTH2_AUTHORIZATION_CODE) {
                checkTokenKey(path + ".auth", rest.auth(), environment, problems);
            }
        }
        rest.headers().forEach((name, value) -> checkHeader(path + ".headers." + name, value, environment, problems));
        if (rest.objects() != null) {
            RestMappingRules.checkObjects(path + ".objects", rest.objects(), problems);
            checkSettings(path, rest, problems);
        }
        if (rest.idempotencyKey() != null && !HEADER_NAME.matcher(rest.idempotencyKey()).matches()) {
            problems.report(path + ".idempotencyKey", "'" + rest.idempotencyKey() + "' is not an HTTP header name",
                    "write idempotencyKey: " + RestSystem.IDEMPOTENCY_KEY_HEADER);
        }
        if (rest.pagination() != null) {
            checkPagination(path + ".pagination", rest.pagination(), problems);
        }
        if (rest.rateLimit() != null) {
            checkRateLimit(path + ".rateLimit", rest.rateLimit(), problems);
        }
        if (rest.webhook() != null) {
            checkWebhook(path + ".webhook", rest.webhook(), problems);
        }
    }

    /** Each {@code {setting}} the objects' paths name (other than {@code {object}}, {@code {id}}) must be one of the system's settings. */
    private static void checkSettings(String path, RestSystem rest, ProblemReporter problems) {
        java.util.List<RestObjects.Spec> specs = new java.util.ArrayList<>(rest.objects().named().values());
        specs.add(rest.objects().shared());
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (RestObjects.Spec spec : specs) {
            for (String template : new String[] {spec.path(), spec.item()}) {
                java.util.regex.Matcher placeholder = SETTING.matcher(template == null ? "" : template);
                while (placeholder.find()) {
                    String name = placeholder.group(1);
                    String value = rest.settings().get(name);
                    if (!name.equals("object") && !name.equals("id") && (value == null || value.isBlank()) && reported.add(name)) {
                        problems.report(path + ".settings." + name, "the system's objects live at " + template
                                + ", which needs the setting " + name, "add settings: {" + name + ": <its value>}");
                    }
                }
            }
        }
    }

    /** A {@code {setting}} in a system's {@code objects} path. */
    private static final java.util.regex.Pattern SETTING = java.util.regex.Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    /** An HTTP header name: an RFC 9110 token. */
    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static void checkWebhook(String path, RestSystem.Webhook webhook, ProblemReporter problems) {
        RestSystem.SignatureScheme scheme = webhook.signature();
        if (scheme != null && scheme != RestSystem.SignatureScheme.NONE && webhook.secret() == null) {
            problems.report(path, "a signed webhook needs its signing secret", "add secret: {env: …}");
        }
        if ((scheme == RestSystem.SignatureScheme.HMAC_SHA256 || scheme == RestSystem.SignatureScheme.HMAC)
                && webhook.header() == null) {
            problems.report(path, scheme == RestSystem.SignatureScheme.HMAC ? "hmac needs the header that carries the signature"
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
        if (scheme == RestSystem.SignatureScheme.HMAC) {
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

    private static void checkEvents(String path, RestSystem.WebhookEvents events, ProblemReporter problems) {
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

    private static void checkHmac(String path, RestSystem.Webhook webhook, ProblemReporter problems) {
        RestSystem.SignedTimestamp timestamp = webhook.timestamp();
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
                    "add format: unix-seconds | unix-millis | iso-8601");
        }
    }

    private static String schemeName(RestSystem.SignatureScheme scheme) {
        return scheme.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static void checkAuth(String path, RestSystem.Auth auth, ProblemReporter problems) {
        if (auth.type() == null) {
            problems.report(path, "auth needs a type",
                    "write type: none | bearer | api-key | basic | oauth2-client-credentials | oauth2-authorization-code");
            return;
        }
        switch (auth.type()) {
            case NONE -> { }
            case BEARER -> require(path, "token", auth.token(), problems);
            case API_KEY -> {
                require(path, "key", auth.key(), problems);
                if (auth.in() == RestSystem.KeyPlacement.QUERY) {
                    require(path, "param", auth.param(), problems);
                } else {
                    require(path, "header", auth.header(), problems);
                }
            }
            case BASIC -> {
                require(path, "username", auth.username(), problems);
                require(path, "password", auth.password(), problems);
            }
            case OAUTH2_CLIENT_CREDENTIALS, OAUTH2_AUTHORIZATION_CODE -> {
                require(path, "tokenUrl", auth.tokenUrl(), problems);
                if (auth.tokenUrl() != null && !isHttpUrl(auth.tokenUrl())) {
                    problems.report(path + ".tokenUrl", "tokenUrl '" + auth.tokenUrl() + "' is not an http(s) URL",
                            "write the token endpoint in full, e.g. tokenUrl: https://auth.example.com/oauth/token");
                }
                require(path, "clientId", auth.clientId(), problems);
                require(path, "clientSecret", auth.clientSecret(), problems);
                if (auth.authorizationUrl() != null && !isHttpUrl(auth.authorizationUrl())) {
                    problems.report(path + ".authorizationUrl", "authorizationUrl '" + auth.authorizationUrl()
                            + "' is not an http(s) URL", "write the provider's consent page in full,"
                            + " e.g. authorizationUrl: https://appcenter.intuit.com/connect/oauth2");
                }
                if (auth.redirectUri() != null && !isHttpUrl(auth.redirectUri())) {
                    problems.report(path + ".redirectUri", "redirectUri '" + auth.redirectUri() + "' is not an http(s) URL",
                            "write the callback as registered with the provider, e.g."
                                    + " redirectUri: https://syncline.example.com/admin/systems/quickbooks/oauth/callback");
                }
                if (auth.refreshToken() != null && auth.refreshToken().isLiteral()) {
                    problems.report(path + ".refreshToken", "a secret is written literally in the model",
                            "write {env: SOME_VARIABLE} and provide SOME_VARIABLE from the environment or a Kubernetes Secret");
                }
            }
        }
    }

    /** Tokens of the authorization-code grant are kept sealed in the state store: the key must be there at start-up. */
    private static void checkTokenKey(String path, RestSystem.Auth auth, Environment environment, ProblemReporter problems) {
        String key = environment.get(RestSystem.TOKEN_KEY);
        String fix = "set " + RestSystem.TOKEN_KEY + " to 32 random bytes, base64 (openssl rand -base64 32), from a Kubernetes"
                + " Secret; it seals the refresh tokens kept in the state store";
        if (key == null || key.isBlank()) {
            problems.report(path + ".type", "oauth2-authorization-code needs environment variable " + RestSystem.TOKEN_KEY
                    + ", which is not set", fix);
            return;
        }
        int length;
        try {
            length = java.util.Base64.getDecoder().decode(key.strip()).length;
        } catch (IllegalArgumentException notBase64) {
            length = -1;
        }
        if (length != 16 && length != 24 && length != 32) {
            problems.report(path + ".type", RestSystem.TOKEN_KEY + " is not a base64 AES key of 16, 24 or 32 bytes", fix);
        }
    }

    /** A header's {@code ${VARIABLE}} references must be set. */
    private static void checkHeader(String path, String value, Environment environment, ProblemReporter problems) {
        if (value == null) {
            problems.report(path, "the header has no value", "write a value, or ${VARIABLE} for one from the environment");
            return;
        }
        java.util.regex.Matcher reference = RestSystem.HEADER_VARIABLE.matcher(value);
        while (reference.find()) {
            if (environment.get(reference.group(1)) == null) {
                problems.report(path, "environment variable " + reference.group(1) + " is not set",
                        "set " + reference.group(1) + " (in Kubernetes: from a ConfigMap or Secret)");
            }
        }
    }

    private static void checkPagination(String path, RestSystem.Pagination pagination, ProblemReporter problems) {
        if (pagination.style() == null) {
            problems.report(path, "pagination needs a style", "write style: cursor | last-id | offset | page | link-header | next-url");
            return;
        }
        switch (pagination.style()) {
            case CURSOR -> {
                require(path, "cursorParam", pagination.cursorParam(), problems);
                require(path, "cursorField", pagination.cursorField(), problems);
            }
            case LAST_ID -> require(path, "cursorParam", pagination.cursorParam(), problems);
            case NEXT_URL -> require(path, "nextUrlField", pagination.nextUrlField(), problems);
            case OFFSET, PAGE, LINK_HEADER -> { }
        }
        if (pagination.pageSize() != null && pagination.pageSize() <= 0) {
            problems.report(path + ".pageSize", "page size must be positive", "write pageSize: 100");
        }
    }

    private static void checkRateLimit(String path, RestSystem.RateLimit rateLimit, ProblemReporter problems) {
        if (rateLimit.requestsPerSecond() == null || !(rateLimit.requestsPerSecond() > 0)) {
            problems.report(path + ".requestsPerSecond", "a rate limit needs a positive requestsPerSecond",
                    "write requestsPerSecond: 10 (fractions such as 0.5 are allowed)");
        }
        if (rateLimit.burst() != null && rateLimit.burst() < 1) {
            problems.report(path + ".burst", "burst must be at least 1", "write burst: 1, or leave it out (default 1: evenly spaced)");
        }
    }

    private static void checkSalesforce(String path, SalesforceSystem salesforce, ProblemReporter problems) {
        if (salesforce.loginUrl() == null || !isHttpUrl(salesforce.loginUrl())) {
            problems.report(path + ".loginUrl", "a Salesforce system needs its loginUrl", "write loginUrl: https://login.salesforce.com");
        }
        require(path, "clientId", salesforce.clientId(), problems);
        switch (salesforce.authOrDefault()) {
            case CLIENT_CREDENTIALS -> require(path, "clientSecret", salesforce.clientSecret(), problems);
            case REFRESH_TOKEN -> {
                require(path, "clientSecret", salesforce.clientSecret(), problems);
                require(path, "refreshToken", salesforce.refreshToken(), problems);
            }
            case USERNAME_PASSWORD -> {
                require(path, "clientSecret", salesforce.clientSecret(), problems);
                require(path, "username", salesforce.username(), problems);
                require(path, "password", salesforce.password(), problems);
            }
            case JWT_BEARER -> {
                require(path, "username", salesforce.username(), problems);
                require(path, "keystore", salesforce.keystore(), problems);
                require(path, "keystorePassword", salesforce.keystorePassword(), problems);
            }
        }
        if (salesforce.apiVersion() != null && !salesforce.apiVersion().matches("[vV]?\\d+\\.\\d")) {
            problems.report(path + ".apiVersion", "apiVersion '" + salesforce.apiVersion() + "' is not a Salesforce API version",
                    "write apiVersion: \"" + SalesforceSystem.DEFAULT_API_VERSION + "\" (quoted), or leave it out");
        }
        if (salesforce.rateLimit() != null) {
            checkRateLimit(path + ".rateLimit", salesforce.rateLimit(), problems);
        }
        positive(path, "dailyCallBudget", salesforce.dailyCallBudget(), "write dailyCallBudget: 50000, or leave it out for no budget",
                problems);
        positive(path, "bulkAbove", salesforce.bulkAbove(), "write bulkAbove: 10000, or leave it out to pull by REST alone",
                problems);
        positive(path, "bulkPageSize", salesforce.bulkPageSize(), "write bulkPageSize: 50000, or leave it out", problems);
        positive(path, "bulkWriteAbove", salesforce.bulkWriteAbove(), "write bulkWriteAbove: "
                + SalesforceSystem.DEFAULT_BULK_WRITE_ABOVE + ", or leave it out", problems);
    }

    private static void positive(String path, String key, Number value, String fix, ProblemReporter problems) {
        if (value != null && value.longValue() < 1) {
            problems.report(path + "." + key, key + " must be at least 1, got " + value, fix);
        }
    }

    private static void require(String path, String key, Object value, ProblemReporter problems) {
        if (value == null) {
            problems.report(path, key + " is missing", "add " + key + ": …");
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            String scheme = URI.create(value).getScheme();
            return "http".equals(scheme) || "https".equals(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
