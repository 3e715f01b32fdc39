package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RateLimiter;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.RetryAfter;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.connector.spi.Watermark;
import io.syncline.model.ChangeFilter;
import io.syncline.model.Environment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pulls a REST resource page by page in the system's pagination style, within its rate limit,
 * waiting out 429 answers (and 503 answers that say when to come back) as their
 * {@code Retry-After} says, at most {@value RetryAfter#PULL_RETRIES} times a page, authenticated as the
 * system's {@code auth} says (an OAuth 2.0 token is renewed once when the API answers 401). A page that repeats an address already read, or the same records as the page
 * before (a source ignoring its cursor), ends the pull as not complete instead of looping or
 * silently stopping.
 *
 * <p>Changes ({@link PullRequest#changes()}) are read from the same pages with the query the poll's
 * {@code changes} describes: its fixed parameters (the order oldest first) and, after the first
 * poll, the watermark's time in its parameter. Such APIs filter by time alone, at or after it, so
 * the records of the watermark's own instant come again ({@link #changesIncludeWatermarkInstant}).
 */
public final class RestRecordPuller implements RecordPuller {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final ObjectMapper mapper;
    /** Headers and auth; OAuth 2.0 tokens kept across pages and runs until shortly before they expire. */
    private final RestAuthenticator authenticator;
    /** The pace shared by all replicas (and the writes); null to keep each pull's own. */
    private final SharedRateLimiter shared;

    public RestRecordPuller(HttpClient client, ObjectMapper mapper, Environment environment) {
        this(client, mapper, environment, Clock.systemUTC());
    }

    RestRecordPuller(HttpClient client, ObjectMapper mapper, Environment environment, Clock clock) {
        this(client, mapper, new RestAuthenticator(environment,
                new OAuth2TokenProvider(client, REQUEST_TIMEOUT, environment, mapper, clock), null), null);
    }

    /** A puller whose auth and rate limits are shared with the application's writes. */
    public RestRecordPuller(HttpClient client, ObjectMapper mapper, RestAuthenticator authenticator, SharedRateLimiter shared) {
        this.client = client;
        this.mapper = mapper;
        this.authenticator = authenticator;
        this.shared = shared;
    }

    @Override
    public boolean changesIncludeWatermarkInstant(PullRequest request) {
        return request.changes() != null;
    }

    @Override
    public PullResult pull(PullRequest request, PageSink sink) throws PullException {
        if (request.keys() != null) {
            throw new PullException(request.systemName() + ": a REST list resource cannot be pulled by key");
        }
        RestSettings system = RestSettings.of(request.system());
        PageStrategy pages = PageStrategy.of(system.pagination());
        RateLimiter limiter = shared == null ? RateLimiter.of(system.rateLimit()) : null;
        RestObjects.Spec object = system.objectOf(RestMappingSettings.of(request.mapping()).resource());
        String itemsField = object.items() != null ? object.items() : system.pagination().itemsField();
        ChangeFilter filter = request.changes() == null ? null : request.changes().filter();
        if (request.changes() != null && filter == null) {
            throw new PullException(request.systemName() + ": reading changes needs the query parameter by which the API"
                    + " filters by modification time (polls." + request.systemName() + ".changes)");
        }
        String path = filter != null && filter.resource() != null ? filter.resource() : object.path();
        URI resource = URI.create(system.baseUrl().replaceAll("/+$", "") + "/" + path.replaceAll("^/+", ""));
        // the API's most records a page caps the job's page size (Stripe and HubSpot: 100)
        Integer most = system.pagination().pageSize();
        int pageSize = most == null ? request.pageSize() : Math.min(request.pageSize(), most);
        URI uri = pages.first(resource, pageSize);
        if (filter != null) {
            uri = QueryStrings.with(uri, changesQuery(filter, request.changes().after()));
        }
        Set<URI> visited = new HashSet<>();
        String previousFingerprint = null;
        long count = 0;
        long records = 0;
        Long total = null;
        while (uri != null) {
            if (!visited.add(uri)) {
                return PullResult.endedEarly(count, records, total, "pagination did not advance: page " + (count + 1)
                        + " is " + uri + " again");
            }
            RestPage fetched = fetch(request, system, limiter, uri, count + 1);
            JsonNode body = fetched.body();
            JsonNode items = itemsField == null ? body : RestPage.at(body, itemsField);
            if (items == null || !items.isArray()) {
                throw new PullException(request.systemName() + ": page " + (count + 1) + " has no array at "
                        + (itemsField == null ? "the top level" : "'" + itemsField + "'") + " (" + uri + ")");
            }
            List<Map<String, Object>> page = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = mapper.convertValue(item, Map.class);
                page.add(record);
            }
            String fingerprint = fingerprint(page, request.mapping().key());
            if (fingerprint != null && fingerprint.equals(previousFingerprint)) {
                return PullResult.endedEarly(count, records, total, "pagination did not advance: page " + (count + 1)
                        + " repeats the records of page " + count + " (the source ignored the cursor)");
            }
            previousFingerprint = fingerprint;
            JsonNode reported = system.pagination().totalField() == null ? null : RestPage.at(body, system.pagination().totalField());
            if (reported != null && reported.canConvertToLong()) {
                total = reported.asLong();
            }
            RestPage answered = new RestPage(uri, fetched.headers(), body, page.size(),
                    items.isEmpty() ? null : items.get(items.size() - 1));
            if (!page.isEmpty()) {
                count++;
                records += page.size();
                try {
                    sink.accept(page);
                } catch (Exception e) {
                    throw new PullException(request.systemName() + ": staging page " + count + " failed: " + e.getMessage(), e);
                }
            }
            JsonNode more = system.pagination().moreField() == null ? null : RestPage.at(body, system.pagination().moreField());
            uri = page.isEmpty() || more != null && more.isBoolean() && !more.asBoolean() ? null
                    : pages.next(answered, pageSize);
        }
        return PullResult.complete(count, records, total);
    }

    /** The changes filter's fixed parameters and, once there is a watermark, its time. */
    private static Map<String, String> changesQuery(ChangeFilter filter, Watermark after) {
        Map<String, String> query = new LinkedHashMap<>(filter.query());
        if (after != null) {
            query.put(filter.param(), filter.valueSince(after.at()));
        }
        return query;
    }

    private RestPage fetch(PullRequest request, RestSettings system, RateLimiter limiter, URI uri, long pageNumber)
            throws PullException {
        String[] sentToken = new String[1];
        HttpRequest httpRequest = request(request, system, uri, sentToken);
        boolean tokenRenewed = false;
        try {
            for (int attempt = 1;; attempt++) {
                if (limiter != null) {
                    limiter.acquire();
                } else if (shared != null) {
                    pace(request, system, pageNumber);
                }
                HttpResponse<byte[]> response = client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
                if (attempt <= RetryAfter.PULL_RETRIES && (response.statusCode() == 429
                        || response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent())) {
                    Thread.sleep(RetryAfter.ofPull(response, system.rateLimit() == null ? null
                            : system.rateLimit().penalty().orElse(null)).toMillis());
                    continue;
                }
                if (response.statusCode() == 401 && !tokenRenewed && sentToken[0] != null) {
                    // The token expired or was revoked early: one new token, one more try.
                    authenticator.invalidate(request.systemName(), system.auth(), sentToken[0]);
                    tokenRenewed = true;
                    httpRequest = request(request, system, uri, sentToken);
                    continue;
                }
                if (response.statusCode() / 100 != 2) {
                    String body = new String(response.body(), StandardCharsets.UTF_8);
                    throw new PullException(request.systemName() + ": page " + pageNumber + " answered HTTP "
                            + response.statusCode() + " (" + uri + "): " + body.substring(0, Math.min(300, body.length())));
                }
                return new RestPage(uri, response.headers(), mapper.readTree(response.body()), 0);
            }
        } catch (IOException e) {
            throw new PullException(request.systemName() + ": page " + pageNumber + " (" + uri + ") failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(request.systemName() + ": interrupted on page " + pageNumber, e);
        }
    }

    private void pace(PullRequest request, RestSettings system, long pageNumber) throws PullException {
        try {
            shared.acquire(request.systemName(), system.rateLimit(), "GET page " + pageNumber);
        } catch (RuntimeException e) {
            throw new PullException(request.systemName() + ": page " + pageNumber + " got no turn: " + e.getMessage(), e);
        }
    }

    /** The request for {@code uri}, with the system's headers and auth; the OAuth 2.0 token it carries goes to {@code sentToken}. */
    private HttpRequest request(PullRequest request, RestSettings system, URI uri, String[] sentToken) throws PullException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(authenticator.address(system, uri)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET();
        try {
            sentToken[0] = authenticator.authenticate(request.systemName(), system, builder);
        } catch (RuntimeException e) {
            throw new PullException(request.systemName() + ": no OAuth2 access token: " + e.getMessage(), e);
        }
        return builder.build();
    }

    /** First and last record key of a page, to notice a source serving the same page again. */
    private static String fingerprint(List<Map<String, Object>> page, String keyPath) {
        if (page.isEmpty()) {
            return null;
        }
        Object first = io.syncline.mapping.FieldPaths.get(page.get(0), keyPath);
        Object last = io.syncline.mapping.FieldPaths.get(page.get(page.size() - 1), keyPath);
        // a list whose records name their key otherwise until a plug-in reads them (BambooHR's employeeId)
        // cannot be compared by it: two full pages would look alike
        return first == null && last == null ? null : page.size() + ":" + first + ":" + last;
    }
}
