package io.syncline.connector.rest;

import io.syncline.connector.spi.SettingsRules;
import io.syncline.model.ChangeFilter;
import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;

import java.util.Map;
import java.util.Set;

import static io.syncline.connector.spi.SettingChecks.isHttpUrl;
import static io.syncline.connector.spi.SettingChecks.rateLimit;
import static io.syncline.connector.spi.SettingChecks.require;

/**
 * What a REST system (or one of a preset's type) needs to be usable: an http(s) baseUrl, the
 * fields its auth type needs, headers whose variables are set, objects whose settings are given,
 * a pagination style's parameters, a rate limit and a webhook that are whole. Its mappings,
 * polls and pulls are {@link RestMappingRules}'.
 */
final class RestRules extends SettingsRules<RestSettings> {

    static final RestRules RULES = new RestRules();

    private RestRules() {
        super(RestSettings.class);
    }

    /** Only where the model asks ({@code readBack: true}): each read back is a call to the API. */
    @Override
    public boolean readsBack(SystemDefinition system) {
        return RestSettings.of(system).readsBack();
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
        RestMappingRules.check(path, mapping, RestSettings.of(system), problems);
    }

    @Override
    public void validateWebhookSource(String path, String system, SystemDefinition definition, ProblemReporter problems) {
        RestWebhookRules.checkSource(path, system, RestSettings.of(definition).webhook(), problems);
    }

    @Override
    public Set<String> mappingKeys() {
        return RestMappingRules.KEYS.keySet();
    }

    @Override
    public Map<String, KeyMisuse> ownMappingKeys() {
        return RestMappingRules.KEYS;
    }

    @Override
    public void validatePoll(String path, String system, ChangeFilter changes, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        RestMappingRules.checkChanges(path, system, changes, mapping, problems);
    }

    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        return RestMappingRules.checkPull(at, system, mapping, RestSettings.of(definition), problems);
    }

    @Override
    protected void check(String path, RestSettings rest, Environment environment, ProblemReporter problems) {
        if (rest.baseUrl() == null || !isHttpUrl(rest.baseUrl())) {
            problems.report(path + ".baseUrl", "a REST system needs an http(s) baseUrl", rest.preset() == null
                    ? "write baseUrl: https://api.example.com/v1"
                    : "write baseUrl: the address of your " + rest.preset() + " account (docs/connectors/" + rest.preset() + ".md)");
        }
        if (rest.auth() != null) {
            checkAuth(path + ".auth", rest.auth(), problems);
            if (rest.auth().type() == RestSettings.AuthType.OAUTH2_AUTHORIZATION_CODE) {
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
                    "write idempotencyKey: " + RestSettings.IDEMPOTENCY_KEY_HEADER);
        }
        if (rest.pagination() != null) {
            checkPagination(path + ".pagination", rest.pagination(), problems);
        }
        if (rest.rateLimit() != null) {
            rateLimit(path + ".rateLimit", rest.rateLimit().requestsPerSecond(), rest.rateLimit().burst(), problems);
            if (rest.rateLimit().retryAfter() != null && rest.rateLimit().retryAfter() < 1) {
                problems.report(path + ".rateLimit.retryAfter", "retryAfter must be at least 1 (seconds)",
                        "write retryAfter: 30, or leave it out where the API's 429 says when to come back");
            }
        }
        if (rest.webhook() != null) {
            RestWebhookRules.check(path + ".webhook", rest.webhook(), problems);
        }
    }

    /** Each {@code {setting}} the objects' paths name (other than {@code {object}}, {@code {id}}) must be one of the system's settings. */
    private static void checkSettings(String path, RestSettings rest, ProblemReporter problems) {
        java.util.List<RestObjects.Spec> specs = new java.util.ArrayList<>(rest.objects().named().values());
        specs.add(rest.objects().shared());
        java.util.Set<String> reported = new java.util.HashSet<>();
        for (RestObjects.Spec spec : specs) {
            for (String template : new String[]{spec.path(), spec.item()}) {
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

    private static void checkAuth(String path, RestSettings.Auth auth, ProblemReporter problems) {
        if (auth.type() == null) {
            problems.report(path, "auth needs a type",
                    "write type: none | bearer | api-key | basic | oauth2-client-credentials | oauth2-authorization-code"
                            + " | oauth2-refresh-token | google-service-account");
            return;
        }
        if (auth.clientAuth() != null && auth.type() != RestSettings.AuthType.OAUTH2_REFRESH_TOKEN) {
            problems.report(path + ".clientAuth", "clientAuth says how an oauth2-refresh-token client signs in, and this auth is "
                    + auth.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), "remove clientAuth");
        }
        switch (auth.type()) {
            case NONE -> {
            }
            case BEARER -> require(path, "token", auth.token(), problems);
            case API_KEY -> {
                require(path, "key", auth.key(), problems);
                if (auth.in() == RestSettings.KeyPlacement.QUERY) {
                    require(path, "param", auth.param(), problems);
                } else {
                    require(path, "header", auth.header(), problems);
                }
            }
            case BASIC -> {
                // no password is an empty one: Segment's Profile API takes its token as the user alone
                require(path, "username", auth.username(), problems);
            }
            case GOOGLE_SERVICE_ACCOUNT -> {
                // the key's JSON names the token URI; the scope says what the token may do
                require(path, "key", auth.key(), problems);
                require(path, "scope", auth.scope(), problems);
            }
            case OAUTH2_CLIENT_CREDENTIALS, OAUTH2_AUTHORIZATION_CODE, OAUTH2_REFRESH_TOKEN -> {
                if (auth.type() == RestSettings.AuthType.OAUTH2_REFRESH_TOKEN) {
                    require(path, "refreshToken", auth.refreshToken(), problems);
                }
                require(path, "tokenUrl", auth.tokenUrl(), problems);
                if (auth.tokenUrl() != null && !isHttpUrl(auth.tokenUrl())) {
                    problems.report(path + ".tokenUrl", "tokenUrl '" + auth.tokenUrl() + "' is not an http(s) URL",
                            "write the token endpoint in full, e.g. tokenUrl: https://auth.example.com/oauth/token");
                }
                require(path, "clientId", auth.clientId(), problems);
                require(path, "clientSecret", auth.clientSecret(), problems);
                if (auth.authorizationUrl() != null && !isHttpUrl(auth.authorizationUrl())) {
                    problems.report(path + ".authorizationUrl", "authorizationUrl '" + auth.authorizationUrl()
                            + "' is not an http(s) URL",
                            "write the provider's consent page in full,"
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
    private static void checkTokenKey(String path, RestSettings.Auth auth, Environment environment, ProblemReporter problems) {
        String key = environment.get(RestSettings.TOKEN_KEY);
        String fix = "set " + RestSettings.TOKEN_KEY + " to 32 random bytes, base64 (openssl rand -base64 32), from a Kubernetes"
                + " Secret; it seals the refresh tokens kept in the state store";
        if (key == null || key.isBlank()) {
            problems.report(path + ".type", "oauth2-authorization-code needs environment variable " + RestSettings.TOKEN_KEY
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
            problems.report(path + ".type", RestSettings.TOKEN_KEY + " is not a base64 AES key of 16, 24 or 32 bytes", fix);
        }
    }

    /** A header's {@code ${VARIABLE}} references must be set. */
    private static void checkHeader(String path, String value, Environment environment, ProblemReporter problems) {
        if (value == null) {
            problems.report(path, "the header has no value", "write a value, or ${VARIABLE} for one from the environment");
            return;
        }
        java.util.regex.Matcher reference = RestSettings.HEADER_VARIABLE.matcher(value);
        while (reference.find()) {
            if (environment.get(reference.group(1)) == null) {
                problems.report(path, "environment variable " + reference.group(1) + " is not set",
                        "set " + reference.group(1) + " (in Kubernetes: from a ConfigMap or Secret)");
            }
        }
    }

    private static void checkPagination(String path, RestSettings.Pagination pagination, ProblemReporter problems) {
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
            case OFFSET, PAGE, LINK_HEADER -> {
            }
        }
        if (pagination.pageSize() != null && pagination.pageSize() <= 0) {
            problems.report(path + ".pageSize", "page size must be positive", "write pageSize: 100");
        }
    }
}
