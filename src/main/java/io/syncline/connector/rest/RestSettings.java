package io.syncline.connector.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.connector.spi.RateLimit;
import io.syncline.connector.spi.SettingsRules;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemPresets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code type: rest} system's settings, an HTTP API's: base URL, authentication, pagination style,
 * rate limit and webhook signature.
 * A system of a preset's type ({@code type: hubspot}) is one too: {@link SystemPresets} lays its
 * settings over the preset's, and {@code preset} names it, so that its type's connector serves it.
 *
 * @param preset  the preset the system's settings were laid over; its type's name (null: type {@code rest})
 * @param objects  where a mapping that names an object alone ({@code resource: contacts}) finds its
 *                 collection, and how each object's records are wrapped and written ({@link RestObjects});
 *                 a {@code {setting}} of {@code settings} in its paths is that setting's value
 *                 ({@code /v3/company/{realmId}/{object}})
 * @param settings what a connection to a preset's provider names of its own beyond auth (a company's id),
 *                 placed in {@code objects} and read by its type's plug-in; not secrets
 */
@RegisterForReflection
public record RestSettings(String baseUrl, Auth auth, Pagination pagination, RateLimit rateLimit, Webhook webhook,
        String preset, RestObjects objects, Map<String, String> headers, Map<String, String> settings,
        BodyFormat bodies, String idempotencyKey, Boolean readBack) implements SettingsRules.Secrets {

    public static final String TYPE = "rest";

    /** The environment variable whose key seals stored OAuth tokens (AES-GCM, 16, 24 or 32 bytes, base64). */
    public static final String TOKEN_KEY = "SYNCLINE_TOKEN_KEY";

    /** A {@code ${VARIABLE}} in a header's value. */
    public static final java.util.regex.Pattern HEADER_VARIABLE = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** The header of an {@code idempotencyKey} where the model names none. */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    /**
     * @param headers        headers sent with every request beside the auth (a tenant id): name to value, where
     *                       {@code ${VARIABLE}} is replaced by that environment variable's value
     * @param bodies         how request bodies are written: {@code json} (null: the default) or {@code form}
     * @param idempotencyKey the header that carries a key to each create and update, the same for every attempt
     *                       of one event's write to one record, so the API answers a retry as it did the first
     *                       ({@code Idempotency-Key}); null sends none
     * @param readBack       whether the record is fetched before each update, for the conflict processor and
     *                       record status ({@code true}); it costs one call a write, so it is off unless asked
     */
    public RestSettings {
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** A system of a preset's type or of type {@code rest}, with headers beside its auth, JSON bodies and no settings. */
    public RestSettings(String baseUrl, Auth auth, Pagination pagination, RateLimit rateLimit, Webhook webhook,
            String preset, RestObjects objects, Map<String, String> headers) {
        this(baseUrl, auth, pagination, rateLimit, webhook, preset, objects, headers, null, null, null, null);
    }

    /** How the system's request bodies are written. */
    public BodyFormat bodyFormat() {
        return bodies == null ? BodyFormat.JSON : bodies;
    }

    /** A system of a preset's type or of type {@code rest}, without extra headers. */
    public RestSettings(String baseUrl, Auth auth, Pagination pagination, RateLimit rateLimit, Webhook webhook,
            String preset, RestObjects objects) {
        this(baseUrl, auth, pagination, rateLimit, webhook, preset, objects, null, null, null, null, null);
    }

    /** A system of type {@code rest} itself. */
    public RestSettings(String baseUrl, Auth auth, Pagination pagination, RateLimit rateLimit, Webhook webhook) {
        this(baseUrl, auth, pagination, rateLimit, webhook, null, null, null, null, null, null, null);
    }

    /** A system of type {@code rest} itself, with headers beside its auth. */
    public RestSettings(String baseUrl, Auth auth, Pagination pagination, RateLimit rateLimit, Webhook webhook,
            Map<String, String> headers) {
        this(baseUrl, auth, pagination, rateLimit, webhook, null, null, headers, null, null, null, null);
    }

    /** The {@link #headers()} with their {@code ${VARIABLE}}s replaced from the environment. */
    public Map<String, String> resolvedHeaders(Environment environment) {
        Map<String, String> resolved = new LinkedHashMap<>();
        headers.forEach((name, value) -> resolved.put(name, HEADER_VARIABLE.matcher(value)
                .replaceAll(reference -> java.util.regex.Matcher.quoteReplacement(String.valueOf(environment.get(reference.group(1)))))));
        return resolved;
    }

    /** The settings of {@code system}, bound once and kept on it. */
    public static RestSettings of(SystemDefinition system) {
        return system.settings(RestSettings.class);
    }

    /** Whether {@code system} is served by the REST code: of type {@code rest}, or of a preset's type. */
    public static boolean isOf(SystemDefinition system) {
        return system != null && system.type() != null
                && (TYPE.equals(system.type()) || SystemPresets.of(system.type()).isPresent());
    }

    /** The type a system of these settings has: its preset's, else {@code rest}. */
    public String type() {
        return preset == null ? TYPE : preset;
    }

    /** Only where the model asks ({@code readBack: true}): each read back is a call to the API. */
    public boolean readsBack() {
        return Boolean.TRUE.equals(readBack);
    }

    /**
     * The collection path of a mapping's {@code resource}: itself when it is a path ({@code /…}),
     * else the object it names placed in {@link #objects()}; null when there is none.
     */
    public String resourceOf(String resource) {
        return objectOf(resource).path();
    }

    /**
     * What the system's {@link #objects()} say of a mapping's {@code resource}: a path ({@code /…})
     * with the settings every object shares; an object's name with its own entry laid over them,
     * {@code {object}} replaced by its name, and each {@code {setting}} by its value. The path is null
     * where {@code objects} places none.
     */
    public RestObjects.Spec objectOf(String resource) {
        if (objects == null) {
            return new RestObjects.Spec(resource, null, null, null, null);
        }
        RestObjects.Spec spec = objects.of(resource);
        return new RestObjects.Spec(withSettings(spec.path()), withSettings(spec.item()), spec.envelope(), spec.items(),
                spec.write());
    }

    /** {@code text} with each {@code {setting}} of {@link #settings()} replaced by its value; null stays null. */
    public String withSettings(String text) {
        String resolved = text;
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            resolved = resolved == null ? null : resolved.replace("{" + setting.getKey() + "}", setting.getValue());
        }
        return resolved;
    }

    /**
     * Where the events of the system's webhook requests are ({@link Webhook#events()}), with the
     * values its {@code only} filter wants resolved from {@link #settings()} ({@code {realmId}}:
     * only the events of the system's own company); null when it says none.
     */
    public WebhookEvents webhookEvents() {
        WebhookEvents events = webhook == null ? null : webhook.events();
        if (events == null || events.only() == null) {
            return events;
        }
        Map<String, String> only = new LinkedHashMap<>();
        events.only().forEach((field, wanted) -> only.put(field, wanted == null ? null : withSettings(wanted)));
        return new WebhookEvents(events.list(), events.id(), events.record(), events.recordId(), only);
    }

    public enum AuthType {
        @JsonProperty("none")
        NONE,
        @JsonProperty("bearer")
        BEARER,
        @JsonProperty("api-key")
        API_KEY,
        @JsonProperty("basic")
        BASIC,
        @JsonProperty("oauth2-client-credentials")
        OAUTH2_CLIENT_CREDENTIALS,
        @JsonProperty("oauth2-authorization-code")
        OAUTH2_AUTHORIZATION_CODE,
        /**
         * A long-lived refresh token from the environment, exchanged at the token endpoint for access tokens
         * kept in memory, the client's id and secret in the form (Login with Amazon's) or, with {@link ClientAuth#BASIC},
         * as HTTP Basic credentials (eBay's); nothing in the state store.
         */
        @JsonProperty("oauth2-refresh-token")
        OAUTH2_REFRESH_TOKEN,
        /** Google's service account: its JSON key signs a JWT exchanged for an access token, optionally acting as a user. */
        @JsonProperty("google-service-account")
        GOOGLE_SERVICE_ACCOUNT
    }

    /**
     * How an {@code oauth2-refresh-token} client proves itself at the token endpoint (RFC 6749 §2.3.1): its id and
     * secret in the form (Login with Amazon's), or as HTTP Basic credentials (eBay's).
     */
    public enum ClientAuth {
        @JsonProperty("form")
        FORM,
        @JsonProperty("basic")
        BASIC
    }

    /** Where an {@code api-key} goes. */
    public enum KeyPlacement {
        @JsonProperty("header")
        HEADER,
        @JsonProperty("query")
        QUERY
    }

    /** How request bodies are written: JSON, or {@code application/x-www-form-urlencoded} with nested members in brackets. */
    public enum BodyFormat {
        @JsonProperty("json")
        JSON,
        @JsonProperty("form")
        FORM
    }

    public enum PaginationStyle {
        @JsonProperty("cursor")
        CURSOR,
        @JsonProperty("last-id")
        LAST_ID,
        @JsonProperty("offset")
        OFFSET,
        @JsonProperty("page")
        PAGE,
        @JsonProperty("link-header")
        LINK_HEADER,
        @JsonProperty("next-url")
        NEXT_URL
    }

    public enum SignatureScheme {
        @JsonProperty("none")
        NONE,
        @JsonProperty("hmac")
        HMAC,
        @JsonProperty("hmac-sha256")
        HMAC_SHA256,
        @JsonProperty("stripe")
        STRIPE,
        @JsonProperty("hubspot-v3")
        HUBSPOT_V3,
        @JsonProperty("github")
        GITHUB,
        @JsonProperty("basic")
        BASIC
    }

    /** The hash of an {@code hmac} signature. */
    public enum HmacAlgorithm {
        @JsonProperty("sha256")
        SHA256,
        @JsonProperty("sha1")
        SHA1
    }

    /** How an {@code hmac} signature is written in its header. */
    public enum SignatureEncoding {
        @JsonProperty("hex")
        HEX,
        @JsonProperty("base64")
        BASE64
    }

    /** How a signed timestamp is written in its header. */
    public enum TimestampFormat {
        @JsonProperty("unix-seconds")
        UNIX_SECONDS,
        @JsonProperty("unix-millis")
        UNIX_MILLIS,
        @JsonProperty("iso-8601")
        ISO_8601,
        /** An HTTP date ({@code Tue, 14 Apr 2026 03:50:12 GMT}) or an ISO-8601 time with its offset, whichever is sent. */
        @JsonProperty("date")
        DATE
    }

    /** Where a signed timestamp stands in the signed text: before the body (default) or after it. */
    public enum TimestampPosition {
        @JsonProperty("before")
        BEFORE,
        @JsonProperty("after")
        AFTER
    }

    /**
     * Which fields each auth type needs is checked by the validator, naming the missing one.
     *
     * @param in               where an {@code api-key} goes: a {@code header} (default) or a {@code query} parameter
     * @param param            the query parameter of an {@code api-key} sent {@code in: query}
     * @param scheme           the word an {@code api-key} follows in its header ({@code Klaviyo-API-Key}: the
     *                         header is {@code <scheme> <key>}); the key alone where left out
     * @param authorizationUrl the provider's consent page, for {@code oauth2-authorization-code}
     * @param refreshToken     the first refresh token of {@code oauth2-authorization-code}, used only while the state
     *                         store holds none (the provider rotates it; the store keeps the current one); the refresh
     *                         token of {@code oauth2-refresh-token}, used for every access token
     * @param header           the header an {@code api-key} goes in; for an OAuth 2.0 type, the header its access
     *                         token goes in where it is not {@code Authorization: Bearer} ({@code x-amz-access-token}:
     *                         the token alone, or after {@code scheme} where one is given)
     * @param redirectUri      where the provider sends the operator back after consent, as registered with the
     *                         provider (default: this application's {@code /admin/systems/{name}/oauth/callback}
     *                         at the address the consent was started from)
     * @param subject          the user a {@code google-service-account} acts as, by domain-wide delegation (an
     *                         administrator's e-mail); the service account itself where left out
     * @param clientAuth       how an {@code oauth2-refresh-token} client sends its id and secret to the token
     *                         endpoint: in the form (the default) or as HTTP Basic credentials
     */
    @RegisterForReflection
    public record Auth(AuthType type, SecretRef token, String header, SecretRef key, SecretRef username,
            SecretRef password, String tokenUrl, SecretRef clientId, SecretRef clientSecret, String scope,
            KeyPlacement in, String param, String authorizationUrl, SecretRef refreshToken, String redirectUri,
            String scheme, String subject, ClientAuth clientAuth) {

        public Auth(AuthType type, SecretRef token, String header, SecretRef key, SecretRef username,
                SecretRef password, String tokenUrl, SecretRef clientId, SecretRef clientSecret, String scope,
                KeyPlacement in, String param, String authorizationUrl, SecretRef refreshToken, String redirectUri,
                String scheme, String subject) {
            this(type, token, header, key, username, password, tokenUrl, clientId, clientSecret, scope, in, param, authorizationUrl,
                    refreshToken, redirectUri, scheme, subject, null);
        }

        public Auth(AuthType type, SecretRef token, String header, SecretRef key, SecretRef username,
                SecretRef password, String tokenUrl, SecretRef clientId, SecretRef clientSecret, String scope,
                KeyPlacement in, String param, String authorizationUrl, SecretRef refreshToken, String redirectUri,
                String scheme) {
            this(type, token, header, key, username, password, tokenUrl, clientId, clientSecret, scope, in, param, authorizationUrl,
                    refreshToken, redirectUri, scheme, null);
        }

        public Auth(AuthType type, SecretRef token, String header, SecretRef key, SecretRef username,
                SecretRef password, String tokenUrl, SecretRef clientId, SecretRef clientSecret, String scope) {
            this(type, token, header, key, username, password, tokenUrl, clientId, clientSecret, scope, null, null, null, null, null);
        }

        public Auth(AuthType type, SecretRef token, String header, SecretRef key, SecretRef username,
                SecretRef password, String tokenUrl, SecretRef clientId, SecretRef clientSecret, String scope,
                KeyPlacement in, String param, String authorizationUrl, SecretRef refreshToken, String redirectUri) {
            this(type, token, header, key, username, password, tokenUrl, clientId, clientSecret, scope, in, param, authorizationUrl,
                    refreshToken, redirectUri, null);
        }

        /** Whether access tokens come from an OAuth 2.0 token endpoint (and a 401 may mean an expired one). */
        public boolean isOAuth2() {
            return type == AuthType.OAUTH2_CLIENT_CREDENTIALS || type == AuthType.OAUTH2_AUTHORIZATION_CODE
                    || type == AuthType.OAUTH2_REFRESH_TOKEN;
        }
    }

    /**
     * @param pageSize  the most records a page holds: a pull asks for no more, whatever its job's page size
     * @param moreField where the answer says whether more records follow ({@code has_more}, {@code meta.has_more}):
     *                  false ends the pull, whatever else the page says; for {@code last-id} without it, a full
     *                  page means more may follow
     */
    @RegisterForReflection
    public record Pagination(PaginationStyle style, Integer pageSize, String itemsField, String cursorParam,
            String cursorField, String offsetParam, String limitParam, String pageParam,
            String nextUrlField, String totalField, String moreField) {

        public Pagination(PaginationStyle style, Integer pageSize, String itemsField, String cursorParam,
                String cursorField, String offsetParam, String limitParam, String pageParam,
                String nextUrlField, String totalField) {
            this(style, pageSize, itemsField, cursorParam, cursorField, offsetParam, limitParam, pageParam, nextUrlField,
                    totalField, null);
        }
    }

    /**
     * How the system signs its webhooks. {@code algorithm}, {@code encoding}, {@code prefix} and
     * {@code timestamp} describe an {@code hmac} signature; the other schemes fix them.
     * {@code events} and {@code answer} say what a request carries and is answered with;
     * {@code fetch} that its events are thin (an id, not the record), which is fetched before it is mapped;
     * {@code handshake} that the sender hands its signing secret over when a webhook is created.
     */
    @RegisterForReflection
    public record Webhook(SignatureScheme signature, String header, SecretRef secret, Integer toleranceSeconds,
            HmacAlgorithm algorithm, SignatureEncoding encoding, String prefix, SignedTimestamp timestamp,
            WebhookEvents events, WebhookAnswer answer, Boolean fetch, WebhookChallenge challenge,
            WebhookHandshake handshake) {

        public Webhook(SignatureScheme signature, String header, SecretRef secret, Integer toleranceSeconds,
                HmacAlgorithm algorithm, SignatureEncoding encoding, String prefix, SignedTimestamp timestamp,
                WebhookEvents events, WebhookAnswer answer, Boolean fetch, WebhookChallenge challenge) {
            this(signature, header, secret, toleranceSeconds, algorithm, encoding, prefix, timestamp, events, answer, fetch,
                    challenge, null);
        }

        public Webhook(SignatureScheme signature, String header, SecretRef secret, Integer toleranceSeconds) {
            this(signature, header, secret, toleranceSeconds, null, null, null, null);
        }

        public Webhook(SignatureScheme signature, String header, SecretRef secret, Integer toleranceSeconds,
                HmacAlgorithm algorithm, SignatureEncoding encoding, String prefix, SignedTimestamp timestamp) {
            this(signature, header, secret, toleranceSeconds, algorithm, encoding, prefix, timestamp, null, null, null, null);
        }
    }

    /**
     * Where the events of a webhook request are, and what each is: a request may carry several
     * ({@code list}, a path ending in {@code []}, where {@code []} alone is a body that is an array
     * and {@code a[].b[]} flattens nested arrays), or be one event that wraps its record
     * ({@code record}). Each event becomes its own inbox entry.
     *
     * @param id       path of the sender's event id within an event, which the inbox refuses to store twice
     * @param record   path of the record within an event; the event itself when left out
     * @param recordId path of the record's id within an event, for events that carry an id but not the
     *                 record (thin events); else the mapping's {@code key} within the record
     * @param only     fields an event must hold, with these values, to be taken (others are skipped)
     * @param idHeader the header that carries the sender's event id of a request of one event
     *                 ({@code X-Shopify-Webhook-Id}), where {@code id} is left out; default {@code X-Event-Id}
     */
    @RegisterForReflection
    public record WebhookEvents(String list, String id, String record, String recordId, Map<String, String> only,
            String idHeader) {

        public WebhookEvents(String list, String id, String record, String recordId, Map<String, String> only) {
            this(list, id, record, recordId, only, null);
        }
    }

    /** What a stored webhook request is answered with, for senders that accept one answer only. */
    @RegisterForReflection
    public record WebhookAnswer(Integer status, AnswerBody body) {
    }

    /**
     * The sender's verification request, a {@code GET} to the webhook's path carrying a value in
     * {@code header} or in the {@code query} parameter, answered 200 with {@code {"<answer>": value}}
     * (or the value alone as text when {@code answer} is left out).
     */
    @RegisterForReflection
    public record WebhookChallenge(String header, String query, String answer) {
    }

    /**
     * The sender's handshake when a webhook is created: a {@code POST} to the webhook's path carrying
     * the secret that signs every later delivery, in {@code header} (Asana's {@code X-Hook-Secret},
     * answered 200 with the same header) or in the JSON body's {@code field} (Notion's
     * {@code verification_token}, answered 200). Where the system names no {@code secret}, the secret of
     * the last handshake taken is the one its signatures are checked with. {@code reveal}: an
     * administrator may read it back, for a sender that asks for it to be pasted in its own settings.
     */
    @RegisterForReflection
    public record WebhookHandshake(String header, String field, Boolean reveal) {
    }

    public enum AnswerBody {
        @JsonProperty("json")
        JSON,
        @JsonProperty("empty")
        EMPTY
    }

    /**
     * The timestamp an {@code hmac} signature also signs: the signed text is the header's value as
     * sent, then {@code separator} (default none), then the raw body; or, {@code position: after}, the
     * raw body, then {@code separator}, then the header's value (Klaviyo's).
     */
    @RegisterForReflection
    public record SignedTimestamp(String header, TimestampFormat format, String separator, TimestampPosition position) {

        public SignedTimestamp(String header, TimestampFormat format, String separator) {
            this(header, format, separator, null);
        }
    }

    /** Every secret the settings name, by its path under the system. */
    public Map<String, SecretRef> secrets() {
        Map<String, SecretRef> secrets = new LinkedHashMap<>();
        if (auth != null) {
            put(secrets, "auth.token", auth.token());
            put(secrets, "auth.key", auth.key());
            put(secrets, "auth.username", auth.username());
            put(secrets, "auth.password", auth.password());
            put(secrets, "auth.clientId", auth.clientId());
            put(secrets, "auth.clientSecret", auth.clientSecret());
            if (auth.type() == AuthType.OAUTH2_REFRESH_TOKEN) {
                put(secrets, "auth.refreshToken", auth.refreshToken());
            }
        }
        if (webhook != null) {
            put(secrets, "webhook.secret", webhook.secret());
        }
        return secrets;
    }

    private static void put(Map<String, SecretRef> secrets, String path, SecretRef secret) {
        if (secret != null) {
            secrets.put(path, secret);
        }
    }
}
