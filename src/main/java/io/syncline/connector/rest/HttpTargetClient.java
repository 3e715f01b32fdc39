package io.syncline.connector.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.RateLimit;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.Environment;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * Writes records to REST systems with the JDK {@link HttpClient}: JSON or form-encoded bodies
 * ({@link FormBody}) as the system says, the system's headers and auth ({@link RestAuthenticator}),
 * an idempotency key on creates and updates where the system names its header, its rate limit
 * (shared by all replicas through
 * {@link SharedRateLimiter} where the application has a state store), and
 * every failure classified as {@link TargetUnavailableException} or
 * {@link TargetRejectedException}. Redirects are not followed: a write answered with one is
 * rejected, naming where it pointed. Plain Java, so that it is tested without Quarkus;
 * {@link HttpTargetWriter} is its face for routes.
 *
 * <p>Secrets are resolved from the {@link Environment} for each request and never logged or
 * put into exception messages.
 */
public final class HttpTargetClient {

    private static final Logger LOG = Logger.getLogger(HttpTargetClient.class);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpFailureClassifier classifier;
    private final RestAuthenticator authenticator;
    /** The pace shared by all replicas; null where there is no state store, and each throttle keeps its own. */
    private final SharedRateLimiter limiter;
    private final Map<String, RequestThrottle> throttles = new ConcurrentHashMap<>();

    /** A client on its own: rate limits counted by this client alone, no authorization-code grants. */
    public HttpTargetClient(Duration connectTimeout, Duration requestTimeout, Environment environment, ObjectMapper json,
            Clock clock) {
        this(connectTimeout, requestTimeout, json, clock, new RestAuthenticator(environment, new OAuth2TokenProvider(
                HttpClient.newBuilder().connectTimeout(connectTimeout).build(), requestTimeout, environment, json, clock), null), null);
    }

    /** A client whose auth and rate limits are shared with the application's other REST requests (pulls, fetches). */
    public HttpTargetClient(Duration connectTimeout, Duration requestTimeout, ObjectMapper json, Clock clock,
            RestAuthenticator authenticator, SharedRateLimiter limiter) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
        this.json = json;
        this.clock = clock;
        this.classifier = new HttpFailureClassifier(json);
        this.authenticator = authenticator;
        this.limiter = limiter;
    }

    /**
     * Creates the record, in its envelope: {@code POST {resource}} (its item's collection where the resource
     * lists by a query, {@link RestTarget#itemsCollection()}) with the id read from the answer
     * (the record in the answer's envelope at the key path, else the {@code Location} header); or,
     * where the mapping says {@code createAt: record} ({@code create: PUT}'s default), at
     * {@code {resource}/{id}} with the record's own id at the key path.
     */
    public HttpWriteResult create(RestTarget target, Map<String, Object> row) {
        return create(target, row, null);
    }

    /**
     * Creates the record as {@link #create(RestTarget, Map)} does, sending {@code idempotencyKey} in the
     * system's {@code idempotencyKey} header (where it names one), so that a retry is answered as the
     * first attempt was and creates nothing more.
     */
    public HttpWriteResult create(RestTarget target, Map<String, Object> row, String idempotencyKey) {
        Write write = target.write().withDefaults();
        String method = write.create().name();
        if (write.createAt() == Write.CreateAt.RECORD) {
            Object id = FieldPaths.get(row, target.keyPath());
            if (id == null) {
                throw new IllegalArgumentException("Creating in " + target.system() + " at the record's own path needs its id at"
                        + " key path '" + target.keyPath() + "', and the mapped record has none");
            }
            HttpResponse<String> response = exchange(target, method, target.item(id.toString()), body(target, target.wrap(row)),
                    idempotencyKey, status -> false);
            return new HttpWriteResult(HttpWriteResult.Action.CREATED, id.toString(), response.statusCode());
        }
        // a list by a search query (Jira's JQL search) is no place to create: the item's collection is
        URI at = target.resource() != null && target.resource().contains("?") ? target.itemsCollection().collection()
                : target.collection();
        HttpResponse<String> response = exchange(target, method, at, body(target, target.wrap(row)), idempotencyKey, status -> false);
        return new HttpWriteResult(HttpWriteResult.Action.CREATED, newId(target, method, response), response.statusCode());
    }

    /** Updates the record {@code id}, in its envelope: {@code PATCH} (default), {@code PUT} or {@code POST} to its path. */
    public HttpWriteResult update(RestTarget target, String id, Map<String, Object> row) {
        return update(target, id, row, null);
    }

    /** Updates the record {@code id} as {@link #update(RestTarget, String, Map)} does, with an idempotency key. */
    public HttpWriteResult update(RestTarget target, String id, Map<String, Object> row, String idempotencyKey) {
        HttpResponse<String> response = exchange(target, target.write().withDefaults().update().name(), target.item(id),
                body(target, target.wrap(row)), idempotencyKey, status -> false);
        return new HttpWriteResult(HttpWriteResult.Action.UPDATED, id, response.statusCode());
    }

    /**
     * Reads the record {@code id} ({@code GET} its path): the JSON object in the answer's envelope;
     * empty when the system has no such record (404, 410).
     */
    public java.util.Optional<Map<String, Object>> read(RestTarget target, String id) {
        HttpResponse<String> response = exchange(target, "GET", target.item(id), null, null, status -> status == 404 || status == 410);
        if (response.statusCode() / 100 != 2) {
            return java.util.Optional.empty();
        }
        Object record;
        try {
            record = target.unwrap(json.readValue(response.body(), Object.class));
        } catch (java.io.IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, "GET "
                    + target.item(id).getRawPath() + " answered " + response.statusCode()
                    + " with a body that is not JSON: " + e.getMessage());
        }
        if (!(record instanceof Map<?, ?> found)) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, "GET "
                    + target.item(id).getRawPath() + " answered " + response.statusCode() + " without a record (a JSON object)"
                    + (target.envelope() == null || target.envelope().answer() == null ? ""
                            : " at '" + target.envelope().answer() + "'"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) found;
        return java.util.Optional.of(fields);
    }

    /** Deletes the record {@code id}; one the system no longer has (404, 410) is deleted already. */
    public HttpWriteResult delete(RestTarget target, String id) {
        HttpResponse<String> response = exchange(target, "DELETE", target.item(id), null, null, status -> status == 404 || status == 410);
        return new HttpWriteResult(HttpWriteResult.Action.DELETED, id, response.statusCode());
    }

    /**
     * Sends a request of the system's own API beyond the record calls (a search, a batch) under
     * its throttle and auth: the answer when it is 2xx or {@code accepted}, else its failure thrown.
     * {@code body} is sent as the system's bodies are (JSON by default); null sends none.
     */
    public HttpResponse<String> call(RestTarget target, String method, URI uri, Object body, IntPredicate accepted) {
        return exchange(target, method, uri, body == null ? null : body(target, body), null, accepted);
    }

    /**
     * Sends one request under the system's throttle and auth; an OAuth 2.0 token the API
     * refuses (401) is replaced and the request sent once more. Any answer other than 2xx or
     * {@code accepted} is thrown as its failure; a {@code Retry-After} pauses the system.
     */
    private HttpResponse<String> exchange(RestTarget target, String method, URI uri, String body, String idempotencyKey,
            IntPredicate accepted) {
        String system = target.system();
        String request = method + " " + uri.getRawPath();
        RestSettings definition = target.definition();
        RequestThrottle throttle = throttle(system, definition.rateLimit());
        String keyHeader = idempotencyKey == null ? null : definition.idempotencyKey();

        pace(throttle, system, definition, request);
        HttpRequest.Builder builder = build(definition, method, authenticator.address(definition, uri), body, keyHeader, idempotencyKey);
        String token = authenticator.authenticate(system, definition, builder);
        HttpResponse<String> response = send(http, system, request, builder.build());
        if (response.statusCode() == 401 && token != null) {
            LOG.debugf("%s refused its OAuth 2.0 access token; getting a new one and sending %s again", system, request);
            authenticator.invalidate(system, definition.auth(), token);
            pace(throttle, system, definition, request);
            builder = build(definition, method, authenticator.address(definition, uri), body, keyHeader, idempotencyKey);
            authenticator.authenticate(system, definition, builder);
            response = send(http, system, request, builder.build());
        }
        int status = response.statusCode();
        LOG.debugf("%s %s answered %d", system, request, status);
        if (status / 100 == 2 || accepted.test(status)) {
            return response;
        }
        RuntimeException failure = classifier.classify(system, request, response, clock.instant(), keyHeader != null);
        if (status == 429 && failure instanceof TargetUnavailableException unavailable && unavailable.retryAfter().isEmpty()
                && definition.rateLimit() != null && definition.rateLimit().penalty().isPresent()) {
            // an API that says no Retry-After but refuses for a known time (Airtable: 30 s) is waited out that long
            failure = new TargetUnavailableException(system, status, definition.rateLimit().penalty().get(), unavailable.getMessage()
                    + " (the system's rateLimit.retryAfter: " + definition.rateLimit().retryAfter() + " s)", null);
        }
        if (failure instanceof TargetUnavailableException unavailable && unavailable.retryAfter().isPresent()) {
            throttle.pauseUntil(clock.instant().plus(unavailable.retryAfter().get()));
        }
        throw failure;
    }

    /** Waits for the request's turn: the system's own pause, then the shared limit (else this client's). */
    private void pace(RequestThrottle throttle, String system, RestSettings definition, String request) {
        if (limiter == null) {
            throttle.acquire(request);
            return;
        }
        throttle.checkPause(request);
        limiter.acquire(system, definition.rateLimit(), request);
    }

    private HttpRequest.Builder build(RestSettings definition, String method, URI uri, String body, String keyHeader,
            String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", definition.bodyFormat() == RestSettings.BodyFormat.FORM
                    ? FormBody.CONTENT_TYPE : "application/json");
        }
        if (keyHeader != null) {
            builder.header(keyHeader, idempotencyKey);
        }
        return builder;
    }

    /** One throttle per system, made anew when a reloaded model changed its rate limit. */
    private RequestThrottle throttle(String system, RateLimit rateLimit) {
        return throttles.compute(system, (name, current) -> current != null && Objects.equals(current.rateLimit(), rateLimit)
                ? current : new RequestThrottle(name, rateLimit, System::nanoTime, clock));
    }

    /**
     * The new record's id: at the key path of the record in the answer's envelope, else the last
     * segment of {@code Location}.
     */
    private String newId(RestTarget target, String method, HttpResponse<String> response) {
        String body = response.body();
        if (body != null && !body.isBlank()) {
            try {
                if (target.unwrap(json.readValue(body, Object.class)) instanceof Map<?, ?> record) {
                    @SuppressWarnings("unchecked")
                    Object id = FieldPaths.get((Map<String, Object>) record, target.keyPath());
                    if (id != null) {
                        return id.toString();
                    }
                }
            } catch (IOException notJson) {
                // fall through to the Location header
            }
        }
        String location = response.headers().firstValue("Location").map(HttpTargetClient::pathOf).orElse(null);
        if (location != null && !location.endsWith("/") && location.lastIndexOf('/') >= 0) {
            return URLDecoder.decode(location.substring(location.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        }
        String at = target.envelope() == null || target.envelope().answer() == null ? target.keyPath()
                : target.envelope().answer() + "." + target.keyPath();
        // Created, but unusable: retrying would create it twice, so this is for a person.
        throw new TargetRejectedException(target.system(), response.statusCode(), null, target.system() + " answered "
                + response.statusCode() + " to " + method + " " + target.resource() + " without the new record's id (neither at '"
                + at + "' in the body nor in a Location header); the record was probably created:"
                + " correct the mapping's key and check " + target.system() + " before replaying");
    }

    private static String pathOf(String location) {
        try {
            return URI.create(location.strip()).getRawPath();
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** A request's body as the system takes them: form-encoded, or JSON. */
    private String body(RestTarget target, Object body) {
        if (target.definition().bodyFormat() == RestSettings.BodyFormat.FORM) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = json.convertValue(body, Map.class);
            return FormBody.encode(fields);
        }
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The request to " + target.system() + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Sends a request, turning the absence of an answer (refused, timed out, reset) into {@link TargetUnavailableException}. */
    static HttpResponse<String> send(HttpClient http, String system, String request, HttpRequest httpRequest) {
        try {
            return http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw HttpFailureClassifier.unreachable(system, request, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailableException(system, null, null, system + ": " + request + " was interrupted", e);
        }
    }
}
