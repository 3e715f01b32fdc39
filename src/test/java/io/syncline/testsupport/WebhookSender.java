package io.syncline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Posts webhook events the way real providers (Stripe, HubSpot, GitHub) deliver them: each with
 * its own event id ({@code X-Event-Id}), several deliveries in parallel, and a POST that got no
 * answer, a 5xx, 404, 408 or 429 sent again with backoff until a 2xx comes back. An event counts
 * as acknowledged only once its 202 arrived. Any other 4xx is the sender's bug: the delivery
 * fails. Every answer other than 202 is kept, so tests can check what the application said.
 * Given several URLs (replicas behind one Service), each attempt goes to the next of them in
 * turn, so that a POST that got no answer from a dead replica is delivered by another.
 */
public final class WebhookSender implements AutoCloseable {

    /**
     * One webhook delivery: the sender's event id, the JSON body, the path it is posted to (null: the
     * sender's URL as it is) and the headers that sign it, made again for each attempt from the URL
     * it goes to (providers sign each attempt with a fresh timestamp).
     */
    public record Event(String id, String json, String path, Function<URI, Map<String, String>> signature) {

        public Event(String id, String json) {
            this(id, json, null, uri -> Map.of());
        }
    }

    /** An answer that was not a 202, as the sender saw it. */
    public record Answer(String eventId, int status, String contentType, String retryAfter, String body, Duration took) {
    }

    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    /** Real senders back off for minutes; tests cap the wait so that outages play out quickly. */
    private static final Duration LAST_RETRY = Duration.ofSeconds(1);

    private final List<URI> uris;
    private final AtomicInteger nextUri = new AtomicInteger();
    private final ExecutorService threads = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "webhook-sender");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(threads).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, URI> acknowledged = new ConcurrentHashMap<>();
    private final Set<String> acknowledgedAsDuplicate = ConcurrentHashMap.newKeySet();
    private final Queue<Answer> otherAnswers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicLong longestAnswerNanos = new AtomicLong();

    public WebhookSender(String url) {
        this(List.of(url));
    }

    /** A sender that posts to each of {@code urls} in turn, attempt by attempt. */
    public WebhookSender(List<String> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("A webhook sender needs at least one URL");
        }
        this.uris = urls.stream().map(URI::create).toList();
    }

    /**
     * Delivers {@code events} over {@code lanes} parallel deliveries: events are dealt to the
     * lanes in list order, each lane posts its next event once the previous one was acknowledged
     * and a pause drawn from {@code random} (between {@code minPause} and {@code maxPause}) has
     * passed. Events of one record may therefore arrive out of their list order, as they do from
     * real senders. Completes when every event was acknowledged.
     */
    public CompletableFuture<Void> stream(List<Event> events, int lanes, Duration minPause, Duration maxPause, Random random) {
        List<List<Event>> dealt = new ArrayList<>();
        List<List<Duration>> pauses = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            dealt.add(new ArrayList<>());
            pauses.add(new ArrayList<>());
        }
        long spread = maxPause.toMillis() - minPause.toMillis();
        for (int i = 0; i < events.size(); i++) {
            dealt.get(i % lanes).add(events.get(i));
            pauses.get(i % lanes).add(minPause.plusMillis(spread <= 0 ? 0 : random.nextLong(spread + 1)));
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[lanes];
        for (int lane = 0; lane < lanes; lane++) {
            all[lane] = lane(dealt.get(lane), pauses.get(lane), 0);
        }
        return CompletableFuture.allOf(all);
    }

    private CompletableFuture<Void> lane(List<Event> events, List<Duration> pauses, int index) {
        if (index == events.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return deliver(events.get(index))
                .thenCompose(answer -> CompletableFuture.runAsync(() -> {
                }, after(pauses.get(index))))
                .thenCompose(paused -> lane(events, pauses, index + 1));
    }

    /** Posts one event until it is acknowledged; completes with the 202's body. */
    public CompletableFuture<JsonNode> deliver(Event event) {
        return attempt(event, 1);
    }

    private CompletableFuture<JsonNode> attempt(Event event, int attempt) {
        URI uri = uris.get(Math.floorMod(nextUri.getAndIncrement(), uris.size()));
        URI to = event.path() == null ? uri : uri.resolve(event.path());
        HttpRequest.Builder builder = HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Event-Id", event.id());
        event.signature().apply(to).forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(event.json())).build();
        long started = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            longestAnswerNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            if (failure != null) {
                if (!(unwrap(failure) instanceof IOException)) {
                    return CompletableFuture.<JsonNode>failedFuture(unwrap(failure));
                }
                // Connection refused, reset, or cut off by a crash: the sender cannot know whether it was stored.
                unanswered.incrementAndGet();
                return retry(event, attempt);
            }
            int status = response.statusCode();
            if (status == 202) {
                JsonNode body = json(response.body());
                acknowledged.put(event.id(), uri);
                if ("duplicate".equals(body.path("status").asText())) {
                    acknowledgedAsDuplicate.add(event.id());
                }
                return CompletableFuture.completedFuture(body);
            }
            otherAnswers.add(new Answer(event.id(), status, response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null), response.body(),
                    Duration.ofNanos(System.nanoTime() - started)));
            if (status >= 500 || status == 404 || status == 408 || status == 429) {
                return retry(event, attempt);
            }
            return CompletableFuture.<JsonNode>failedFuture(new IllegalStateException("Event " + event.id()
                    + " was refused with " + status + ": " + response.body()));
        }).thenCompose(next -> next);
    }

    private CompletableFuture<JsonNode> retry(Event event, int attempt) {
        long backoff = Math.min(FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10), LAST_RETRY.toMillis());
        return CompletableFuture.supplyAsync(() -> attempt(event, attempt + 1), after(Duration.ofMillis(backoff)))
                .thenCompose(next -> next);
    }

    private Executor after(Duration delay) {
        return CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, threads);
    }

    private JsonNode json(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("The 202 answer is not JSON: " + body, e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Ids of the events whose 202 came back. */
    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged.keySet());
    }

    /** Ids of the events whose 202 came from {@code url}. */
    public Set<String> acknowledgedBy(String url) {
        URI by = URI.create(url);
        return acknowledged.entrySet().stream().filter(entry -> entry.getValue().equals(by)).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Acknowledged events answered {@code duplicate}: stored by an earlier POST whose answer was lost. */
    public Set<String> acknowledgedAsDuplicate() {
        return Set.copyOf(acknowledgedAsDuplicate);
    }

    /** Every answer that was not a 202, in arrival order. */
    public List<Answer> otherAnswers() {
        return List.copyOf(otherAnswers);
    }

    /** Waits (at most 90 s) until {@code count} events were acknowledged; {@code context} heads the failure message. */
    public void awaitAcknowledged(int count, String context) {
        org.awaitility.Awaitility.await(context + ": " + count + " events acknowledged").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50)).until(() -> acknowledged.size() >= count);
    }

    /**
     * Every answer other than a 202 was what an unreachable state store answers: a JSON 503
     * {@code store_unavailable} with {@code Retry-After}. {@code context} heads each failure message.
     */
    public void assertOtherAnswersAreStoreUnavailable(String context) {
        assertThat(otherAnswers()).as("%s: answers other than 202", context).allSatisfy(answer -> {
            assertThat(answer.status()).as("%s: status of %s", context, answer).isEqualTo(503);
            assertThat(answer.contentType()).as("%s: content type of %s", context, answer).startsWith("application/json");
            assertThat(answer.retryAfter()).as("%s: Retry-After of %s", context, answer).isNotNull();
            assertThat(answer.body()).as("%s: body of %s", context, answer).contains("\"error\":\"store_unavailable\"");
        });
    }

    /** The longest any POST waited for its answer (or for giving up on one), whatever the answer. */
    public Duration longestAnswer() {
        return Duration.ofNanos(longestAnswerNanos.get());
    }

    /** POSTs that got no answer at all (refused, reset, cut off). */
    public int unanswered() {
        return unanswered.get();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
