package io.syncline.poll;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PipedriveStub;
import io.syncline.testsupport.PipedriveStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change polling of a REST API by its modified-since filter (src/test/resources/rest-polling-routes):
 * Pipedrive's persons ({@link PipedriveStub}, {@code updated_since} at or after a time, oldest first,
 * cursor pages of 100) are polled every second into billing's table. 1,000 changes, 300 of them
 * sharing one update time across page boundaries and the last 100 sharing another, reach billing
 * each once; later polls, which the API answers with the records of the watermark's instant
 * again, put nothing more into the inbox, also once the inbox has purged the applied events; a
 * 429 is waited out as its Retry-After says, and the changes after it still arrive each once.
 */
@QuarkusTest
@WithTestResource(PipedriveStubResource.class)
class RestChangePollingTest {

    private static final String DATABASE = PipedriveStubResource.DATABASE_URL;
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant SHARED = BASE.plusSeconds(450);
    private static final Instant LAST = BASE.plusSeconds(2000);
    private static final Instant LATER = BASE.plusSeconds(3000);

    PipedriveStub pipedrive;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS rest_poll_billing_person (customer_no VARCHAR(64) PRIMARY KEY,"
                    + " name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE)");
        }
    }

    private static long count(String sql, Object... parameters) {
        return (Long) TestDatabase.queryOn(DATABASE, sql, parameters).get(0).get("n");
    }

    private static long polledEvents() {
        return count("SELECT count(*) AS n FROM inbox WHERE source_system = 'pipedrive'");
    }

    @Test
    void everyChangeArrivesOnceThoughManyShareTheirTimeAndA429IsWaitedOut() throws Exception {
        // in the API's order of update_time then id: 1-300 one second apart, 301-600 at one instant,
        // 601-900 one second apart, 901-1000 at one later instant
        for (long id = 1; id <= 1000; id++) {
            Instant updated = id <= 300 || id > 600 && id <= 900 ? BASE.plusSeconds(id) : id <= 600 ? SHARED : LAST;
            pipedrive.put(id, "First" + id, "Person", updated);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) AS n FROM rest_poll_billing_person") == 1000);
        assertThat(polledEvents()).isEqualTo(1000);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT count(*) AS n, count(DISTINCT target_id) AS records FROM audit_log"
                + " WHERE source_system = 'pipedrive' AND action = 'created'")).containsExactly(Map.of("n", 1000L, "records", 1000L));

        // later polls ask from the watermark's instant and get its 100 records again: none goes into the inbox twice,
        // even once the inbox has forgotten the applied events (its retention purges them; here at once)
        await().until(() -> count("SELECT count(*) AS n FROM inbox WHERE source_system = 'pipedrive' AND status <> 'done'") == 0);
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM inbox WHERE source_system = 'pipedrive' AND status = 'done'");
        }
        int answered = pipedrive.answered().size();
        await().atMost(Duration.ofSeconds(20)).until(() -> pipedrive.answered().size() >= answered + 3);
        assertThat(polledEvents()).isZero();
        List<PipedriveStub.Answered> later = pipedrive.answered().subList(answered, answered + 3);
        assertThat(later).allSatisfy(request -> {
            assertThat(request.status()).isEqualTo(200);
            assertThat(request.parameter("updated_since")).isEqualTo(LAST.toString());
            assertThat(request.parameter("sort_by")).isEqualTo("update_time");
            assertThat(request.parameter("sort_direction")).isEqualTo("asc");
            assertThat(request.parameter("limit")).isEqualTo("100");
        });

        // the API asks for 2 s of quiet once; the poll waits it out and reads the 50 later changes, each once
        pipedrive.rateLimitNext(1, 2);
        for (long id = 1; id <= 50; id++) {
            pipedrive.put(id, "Second" + id, "Person", LATER);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) AS n FROM rest_poll_billing_person"
                + " WHERE name LIKE 'Second%'") == 50);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> polledEvents() == 50);
        List<PipedriveStub.Answered> all = pipedrive.answered();
        int refused = all.stream().map(PipedriveStub.Answered::status).toList().indexOf(429);
        assertThat(refused).as("the 429").isPositive();
        assertThat(all.get(refused + 1).status()).isEqualTo(200);
        assertThat(Duration.between(all.get(refused).at(), all.get(refused + 1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(all.get(refused + 1).query()).isEqualTo(all.get(refused).query());
        // the watermark keeps the keys read at its instant, and only those
        assertThat(count("SELECT count(*) AS n FROM watermark_key WHERE job = 'poll:person:pipedrive'")).isEqualTo(50);
    }
}
