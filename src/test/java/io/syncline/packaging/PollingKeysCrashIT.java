package io.syncline.packaging;

import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TestSeed;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change polling of tables keyed by {@code bigint}, {@code uuid} and text survives SIGKILL
 * (src/test/resources/polling-keys-routes). The poll's watermark and the ID map keep a key as
 * text; a later poll compares it with the key column again, and a write or a look-up in a target
 * keyed the same way binds it there. Each table gets 2,000 changes (1,000 inserts, then 1,000
 * updates), 200 of each round sharing one modification time across several pages, and the
 * packaged application is killed once in each round and started again. Every change reaches its
 * target once: one inbox event per change, one {@code created} and one {@code updated} audit entry
 * per record, and the targets hold every record's last values.
 */
class PollingKeysCrashIT {

    private static final int RECORDS = 1_000;
    private static final List<String> KINDS = List.of("bigint", "uuid", "text");
    private static final Instant FIRST = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant SECOND = Instant.parse("2024-04-01T00:00:00Z");

    @Test
    void changesOfBigintUuidAndTextKeyedTablesReachTheirTargetsOnceAcrossKills() throws Exception {
        TestSeed seed = TestSeed.of("PollingKeysCrashIT");
        Random random = seed.random();
        String context = seed.context();
        String url = TestDatabase.siblingUrl("_poll_keys");
        TestDatabase.ensureDatabase(url, true);
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            for (String kind : KINDS) {
                String type = kind.equals("text") ? "VARCHAR(64)" : kind.toUpperCase(java.util.Locale.ROOT);
                statement.execute("CREATE TABLE pk_erp_" + kind + " (id " + type + " PRIMARY KEY, name VARCHAR(200),"
                        + " updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                statement.execute("CREATE INDEX pk_erp_" + kind + "_changes ON pk_erp_" + kind + " (updated_at, id)");
                statement.execute("CREATE TABLE pk_billing_" + kind + " (customer_no " + type + " PRIMARY KEY,"
                        + " name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE)");
            }
        }

        PackagedApplication app = PackagedApplication.start("polling-keys-it-0", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", "polling-keys-it-password",
                "SYNCLINE_ROUTES_LOCATION", "src/test/resources/polling-keys-routes",
                "SYNCLINE_RECONCILIATION_SCHEDULES_ENABLED", "false",
                "SYNCLINE_INBOX_LEASE", "3s"), List.of("-Xmx256m"));
        List<Integer> exitCodes = new ArrayList<>();
        try {
            app.awaitReady(context);
            write(url, "first", FIRST);
            app = killWhen(app, url, "first", random.nextInt(RECORDS / 4, RECORDS * 2), exitCodes, context);
            awaitAll(url, "first", context);

            write(url, "second", SECOND);
            app = killWhen(app, url, "second", random.nextInt(RECORDS / 4, RECORDS * 2), exitCodes, context);
            awaitAll(url, "second", context);

            assertThat(exitCodes).as(context).containsExactly(137, 137);
            for (String kind : KINDS) {
                String entity = "customer_" + kind;
                // nothing read twice, nothing left out: one event per change
                assertThat(TestDatabase.queryOn(url, "SELECT count(*) AS n, count(DISTINCT event_id) AS changes FROM inbox"
                        + " WHERE entity = ? AND source_system = 'erp' AND status = 'done'", entity))
                        .as(context + " " + kind).containsExactly(Map.of("n", 2L * RECORDS, "changes", 2L * RECORDS));
                for (String action : List.of("created", "updated")) {
                    assertThat(TestDatabase.queryOn(url, "SELECT count(*) AS n, count(DISTINCT target_id) AS records"
                            + " FROM audit_log WHERE entity = ? AND target_system = 'billing' AND action = ?", entity, action))
                            .as(context + " " + kind + " " + action)
                            .containsExactly(Map.of("n", (long) RECORDS, "records", (long) RECORDS));
                }
            }
        } finally {
            app.close();
        }
    }

    /** One round of changes to every table: 200 records share one modification time, the others each have their own. */
    private static void write(String url, String name, Instant base) throws Exception {
        try (Connection connection = TestDatabase.connect(url)) {
            for (String kind : KINDS) {
                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO pk_erp_" + kind
                        + " (id, name, updated_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = EXCLUDED.updated_at")) {
                    for (int i = 0; i < RECORDS; i++) {
                        upsert.setObject(1, key(kind, i));
                        upsert.setString(2, name);
                        upsert.setTimestamp(3, Timestamp.from(i >= 400 && i < 600 ? base.plusSeconds(400) : base.plusSeconds(i)));
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
            }
        }
    }

    /**
     * Record {@code i}'s key: bigints past the int range whose digits differ in number (so text
     * order is not key order), uuids, and text.
     */
    private static Object key(String kind, int i) {
        return switch (kind) {
            case "bigint" -> 3_000_000_000L + 7L * i * i;
            case "uuid" -> UUID.nameUUIDFromBytes(("customer-" + i).getBytes(StandardCharsets.UTF_8));
            default -> String.format("cust-%04d", i);
        };
    }

    private static long reached(String url, String name) {
        long rows = 0;
        for (String kind : KINDS) {
            rows += (Long) TestDatabase.queryOn(url, "SELECT count(*) AS n FROM pk_billing_" + kind + " WHERE name = ?", name)
                    .get(0).get("n");
        }
        return rows;
    }

    private static void awaitAll(String url, String name, String context) {
        await(context + ": every " + name + " change reaches billing").atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500)).until(() -> reached(url, name) == (long) KINDS.size() * RECORDS);
    }

    /** SIGKILL once {@code rows} changes of the round have reached billing, then the application started again. */
    private static PackagedApplication killWhen(PackagedApplication app, String url, String name, int rows, List<Integer> exitCodes,
            String context) throws Exception {
        await(context + ": " + rows + " " + name + " changes reach billing").atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(20)).until(() -> reached(url, name) >= rows);
        exitCodes.add(app.kill());
        PackagedApplication restarted = app.restart("polling-keys-it-" + exitCodes.size());
        restarted.awaitReady(context);
        return restarted;
    }
}
