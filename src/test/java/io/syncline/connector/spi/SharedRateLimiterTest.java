package io.syncline.connector.spi;

import com.sun.net.httpserver.HttpServer;
import io.syncline.connector.rest.OAuthStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rate limit for all replicas, on the real PostgreSQL: two limiters, each with sessions of its
 * own as two application instances have, each driven as fast as it goes by several threads, and the
 * requests counted where they arrive, at a stub of the provider.
 */
class SharedRateLimiterTest {

    private static final RateLimit TEN_PER_SECOND = new RateLimit(10.0, null);
    /** Long enough for 100 turns, and for a per-replica count (200) to stand far above the shared one. */
    private static final int MEASURED_SECONDS = 10;
    private static OAuthStateStore store;

    private HttpServer provider;
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void database() {
        store = OAuthStateStore.fresh("_rate_limits");
    }

    @BeforeEach
    void start() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.setExecutor(Executors.newFixedThreadPool(8));
        provider.createContext("/v3/company/", exchange -> {
            try (exchange) {
                arrivals.add(System.nanoTime());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        provider.start();
    }

    @AfterEach
    void stop() {
        provider.stop(0);
    }

    @Test
    void twoReplicasSharingTenRequestsPerSecondSendAtMostTenASecondTogether() throws Exception {
        List<SharedRateLimiter> replicas = List.of(new SharedRateLimiter(store.replica(), Clock.systemUTC()),
                new SharedRateLimiter(store.replica(), Clock.systemUTC()));
        URI api = URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/v3/company/9130/customer/1");
        int threadsPerReplica = 4;
        long measured = TimeUnit.SECONDS.toNanos(MEASURED_SECONDS);
        List<AtomicInteger> sent = List.of(new AtomicInteger(), new AtomicInteger());
        ExecutorService threads = Executors.newFixedThreadPool(2 * threadsPerReplica);
        long start = System.nanoTime();
        try {
            for (int r = 0; r < replicas.size(); r++) {
                SharedRateLimiter limiter = replicas.get(r);
                AtomicInteger count = sent.get(r);
                for (int t = 0; t < threadsPerReplica; t++) {
                    threads.submit(() -> {
                        while (System.nanoTime() - start < measured + TimeUnit.SECONDS.toNanos(1)) {
                            limiter.acquire("quickbooks", TEN_PER_SECOND, "GET /v3/company/9130/customer/1");
                            http.send(HttpRequest.newBuilder(api).GET().build(), HttpResponse.BodyHandlers.discarding());
                            count.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        }

        List<Long> seen = new ArrayList<>(arrivals);
        long first = seen.get(0);
        long inWindow = seen.stream().filter(at -> at - first < measured).count();
        int busiestSecond = busiestSecond(seen);
        System.out.printf("shared limit 10/s, 2 replicas x %d threads: %d requests in %d s at the stub (%.2f/s),"
                + " busiest second %d, per replica %s%n", threadsPerReplica, inWindow, MEASURED_SECONDS,
                inWindow / (double) MEASURED_SECONDS, busiestSecond, sent);
        // 10 a second for the window, plus turns taken just before the first arrival that reach the stub inside
        // it: a limit counted per replica would let twice as many through (200).
        assertThat(inWindow).as("requests at the stub in %d s", MEASURED_SECONDS)
                .isLessThanOrEqualTo(10 * MEASURED_SECONDS + 5);
        assertThat(inWindow).as("the limit is used, not starved").isGreaterThanOrEqualTo(9 * MEASURED_SECONDS);
        // Turns are 100 ms apart when taken; on their way to the stub, scheduling (two shared cores) may bunch a
        // few. Even so no second comes near what a limit counted per replica would let through (20).
        assertThat(busiestSecond).as("requests in the busiest 1 s window at the stub").isLessThan(20);
        assertThat(sent).allSatisfy(count -> assertThat(count.get()).as("each replica had turns")
                .isGreaterThan(MEASURED_SECONDS * 3 / 2));
    }

    @Test
    void aBurstLetsThatManyGoAtOnceThenKeepsThePace() {
        SharedRateLimiter limiter = new SharedRateLimiter(store.replica(), Clock.systemUTC());
        RateLimit fivePerSecondBurstFive = new RateLimit(5.0, 5);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            limiter.acquire("hubspot", fivePerSecondBurstFive, "GET /crm/v3/objects/contacts");
        }
        long burst = System.nanoTime() - start;
        for (int i = 0; i < 5; i++) {
            limiter.acquire("hubspot", fivePerSecondBurstFive, "GET /crm/v3/objects/contacts");
        }
        long paced = System.nanoTime() - start - burst;
        assertThat(Duration.ofNanos(burst)).isLessThan(Duration.ofMillis(500));
        assertThat(Duration.ofNanos(paced)).isGreaterThanOrEqualTo(Duration.ofMillis(750));
    }

    /** The most arrivals in any window of one second. */
    private static int busiestSecond(List<Long> arrivals) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < arrivals.size(); to++) {
            while (arrivals.get(to) - arrivals.get(from) >= TimeUnit.SECONDS.toNanos(1)) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }
}
