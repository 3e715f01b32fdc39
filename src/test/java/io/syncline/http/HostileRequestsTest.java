package io.syncline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Generated hostile requests to the webhook and the admin API ({@link HostileRequests}), with
 * good events interleaved. For every answer: no 5xx but the documented 503, every error a JSON
 * object of the one shape, no answer slower than 5 s; the service is live throughout; every good
 * event is applied exactly once. The seed is printed with the size; replay a run with
 * {@code -Dhostile.seed=<seed>}, change its size with {@code -Dhostile.requests}.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class HostileRequestsTest {

    private static final Duration LONGEST_ANSWER = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    /** Answers seen, by where, status and error code: printed after the run, for the answer tables in the docs. */
    private final Map<String, Integer> seen = new TreeMap<>();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(LONGEST_ANSWER).build();

    @Test
    void hostileRequestsGetJsonErrorsAndGoodEventsAroundThemAreAppliedOnce() throws Exception {
        long seed = Long.getLong("hostile.seed", new Random().nextLong());
        int size = Integer.getInteger("hostile.requests", 1_200);
        int goodEvents = Math.max(size / 10, 1);
        System.out.printf("HostileRequestsTest: %d hostile requests and %d good events, seed %d"
                + " (replay with -Dhostile.seed=%d)%n", size, goodEvents, seed, seed);

        HostileRequests hostile = new HostileRequests(seed);
        Random interleave = new Random(seed ^ 0x5EEDL);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> good = new ArrayList<>();
        int sent = 0;
        while (sent < size || good.size() < goodEvents) {
            boolean sendGood = good.size() < goodEvents
                    && (sent >= size || interleave.nextInt(size + goodEvents) < goodEvents);
            if (sendGood) {
                String id = "g-" + run + "-" + good.size();
                good.add(id);
                postGood(seed, id, interleave.nextInt(4) == 0);
            } else {
                check(seed, sent, hostile.next());
                sent++;
                if (sent % 50 == 0) {
                    assertLive(seed, sent);
                }
            }
        }
        assertLive(seed, sent);
        System.out.println("HostileRequestsTest: answers seen " + seen);

        for (String id : good) {
            TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : good) {
                assertThat(TestDatabase.query("SELECT action FROM audit_log WHERE source_system = 'crm' AND source_id = ?"
                        + " AND action IN ('created', 'updated')", id))
                        .as("good event %s applied once (seed %d)", id, seed).hasSize(1);
            }
        });
    }

    private void check(long seed, int index, HostileRequests.Request request) throws InterruptedException {
        String context = "request " + index + " (" + request.what() + "), seed " + seed;
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(build(request), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            fail("No answer within " + LONGEST_ANSWER.toSeconds() + " s to " + context + ": " + e, e);
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("answer time of %s", context).isLessThan(LONGEST_ANSWER);
        int status = response.statusCode();
        tally(request, status, response.body());
        assertThat(status).as("status of %s: %s", context, response.body()).satisfiesAnyOf(
                s -> assertThat(s).isLessThan(500), s -> assertThat(s).isEqualTo(503));
        if (status >= 400 && !request.method().equals("HEAD")) {
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                    .as("content type of the %d answer to %s", status, context).startsWith("application/json");
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                fail("The " + status + " answer to " + context + " is not JSON: " + response.body(), e);
                return;
            }
            assertThat(body.isObject()).as("answer to %s is an object: %s", context, response.body()).isTrue();
            assertThat(body.path("status").asInt()).as("status field of %s", context).isEqualTo(status);
            assertThat(body.path("error").asText()).as("error code of %s", context).isNotBlank();
            assertThat(body.path("message").asText()).as("message of %s", context).isNotBlank();
        }
    }

    private void tally(HostileRequests.Request request, int status, String body) {
        String where = request.path().startsWith("/admin") ? "admin" : request.path().startsWith("/webhooks") ? "webhook"
                : "other";
        String answer;
        try {
            JsonNode json = JSON.readTree(body);
            answer = json == null ? "" : json.hasNonNull("error") ? json.get("error").asText()
                    : json.path("status").isTextual() ? json.get("status").asText() : "";
        } catch (IOException notJson) {
            answer = "";
        }
        seen.merge(where + " " + status + (request.method().equals("HEAD") ? " (HEAD)" : " " + answer), 1, Integer::sum);
    }

    private HttpRequest build(HostileRequests.Request request) {
        URI uri = URI.create(base.toString().replaceAll("/$", "") + request.path());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(LONGEST_ANSWER)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        return builder.build();
    }

    private void postGood(long seed, String id, boolean twice) throws IOException, InterruptedException {
        String eventId = "evt-" + id;
        for (int delivery = 0; delivery < (twice ? 2 : 1); delivery++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                    + HostileRequests.WEBHOOK))
                    .timeout(LONGEST_ANSWER).header("Content-Type", "application/json").header("X-Event-Id", eventId)
                    .POST(HttpRequest.BodyPublishers.ofString(HostileRequests.contact(id))).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("good event %s (seed %d): %s", id, seed, response.body()).isEqualTo(202);
            assertThat(JSON.readTree(response.body()).path("status").asText())
                    .isEqualTo(delivery == 0 ? "accepted" : "duplicate");
        }
    }

    private void assertLive(long seed, int sent) throws IOException, InterruptedException {
        HttpResponse<String> live = client.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                + "/q/health/live")).timeout(LONGEST_ANSWER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).as("liveness after %d requests, seed %d: %s", sent, seed, live.body())
                .isEqualTo(200);
    }
}
