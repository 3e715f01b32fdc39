package io.syncline.reconcile.bisect;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checksums the database keeps, on the real PostgreSQL: after every kind of write (one row, many,
 * keys changed, upserts, NULLs, keyless rows, rollbacks, truncation, writers at the same time)
 * they must equal the checksums computed from the table itself, segment by segment, and a
 * bisection over them must find what a bisection over computed ones finds.
 */
class MaintainedChecksumsTest {

    private static final String URL = TestDatabase.siblingUrl("_checksums");
    private static final int RECORDS = 20_000;
    private static final List<String> COMPARE = List.of("email", "points", "score", "updatedAt");

    private Connection connection;
    /** Side B's: the bisection reads both sides at once. */
    private Connection second;

    @BeforeEach
    void createTables() throws SQLException {
        TestDatabase.ensureDatabase(URL, false);
        connection = TestDatabase.connect(URL);
        second = TestDatabase.connect(URL);
        for (String table : List.of("maintained_a", "maintained_b")) {
            for (String name : List.of("job|a|" + table, "job|b|" + table)) {
                String[] parts = name.split("\\|");
                ChecksumTriggers.uninstall(connection, ChecksumTriggers.name(parts[0], parts[1], parts[2]), table);
            }
            sql("DROP TABLE IF EXISTS " + table);
            // A unique key that may be NULL: keyless records are counted, never compared.
            sql("CREATE TABLE " + table + " (id VARCHAR(20) UNIQUE, email VARCHAR(100), points BIGINT, score FLOAT8,"
                    + " updated_at TIMESTAMP WITH TIME ZONE)");
            sql("INSERT INTO " + table + " SELECT 'k-' || g, ' User' || g || '@Example.COM', g * 7, g / 3.0,"
                    + " TIMESTAMPTZ '2024-03-01 09:30:00Z' + g * INTERVAL '1 second' FROM generate_series(1, " + RECORDS + ") g");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
        second.close();
    }

    @Test
    void afterEveryKindOfWriteTheKeptChecksumsAreTheComputedOnes() throws Exception {
        MaintainedChecksums kept = open("maintained_a", COMPARE, true);
        assertThat(kept.note()).startsWith("maintained checksums installed (" + RECORDS + " records hashed in ");
        assertSameAsComputed(kept, "maintained_a");

        sql("INSERT INTO maintained_a VALUES ('new-1', 'a@example.com', 1, 0.5, now())");
        sql("UPDATE maintained_a SET email = 'Changed@Example.com' WHERE id = 'k-7'");
        sql("UPDATE maintained_a SET points = points + 1 WHERE id LIKE 'k-1%'");
        sql("DELETE FROM maintained_a WHERE id LIKE 'k-2_'");
        assertSameAsComputed(kept, "maintained_a");

        sql("UPDATE maintained_a SET id = id || 'x' WHERE id LIKE 'k-3_'");
        sql("INSERT INTO maintained_a VALUES ('k-5', 'upserted@example.com', 5, 5, now()), ('up-2', NULL, NULL, NULL, NULL)"
                + " ON CONFLICT (id) DO UPDATE SET email = excluded.email");
        sql("UPDATE maintained_a SET score = NULL, updated_at = NULL WHERE id = 'k-9'");
        sql("INSERT INTO maintained_a VALUES (NULL, 'keyless@example.com', 1, 1, now()), (NULL, NULL, 2, 2, now())");
        sql("UPDATE maintained_a SET points = 0 WHERE id IS NULL");
        assertSameAsComputed(kept, "maintained_a");

        connection.setAutoCommit(false);
        sql("DELETE FROM maintained_a WHERE id LIKE 'k-4%'");
        sql("INSERT INTO maintained_a VALUES ('rolled-back', 'x@example.com', 1, 1, now())");
        connection.rollback();
        connection.setAutoCommit(true);
        assertSameAsComputed(kept, "maintained_a");

        sql("DELETE FROM maintained_a WHERE id IS NULL");
        sql("TRUNCATE maintained_a");
        sql("INSERT INTO maintained_a VALUES ('after-truncate', 'b@example.com', 2, 2, now())");
        Map<Long, SegmentChecksums.Checksum> segments = assertSameAsComputed(kept, "maintained_a");
        assertThat(segments).hasSize(1);
    }

    @Test
    void writersAtTheSameTimeNeitherWaitOnOneAnotherNorLoseAChange() throws Exception {
        MaintainedChecksums kept = open("maintained_a", COMPARE, true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writerNumber = w;
                done.add(writers.submit(() -> {
                    try (Connection writer = TestDatabase.connect(URL); Statement statement = writer.createStatement()) {
                        writer.setAutoCommit(false);
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int i = 0; i < 150; i++) {
                            // Several statements per transaction, on keys of random segments, as an application writes;
                            // each writer its own keys, so that any wait or deadlock would be the checksums' own.
                            for (int s = 0; s < 3; s++) {
                                int key = random.nextInt(0, (RECORDS + 200) / 4) * 4 + writerNumber;
                                switch (random.nextInt(3)) {
                                    case 0 -> statement.execute("UPDATE maintained_a SET points = points + 1 WHERE id = 'k-" + key + "'");
                                    case 1 -> statement.execute("DELETE FROM maintained_a WHERE id = 'k-" + key + "'");
                                    default -> statement.execute("INSERT INTO maintained_a VALUES ('k-" + key + "', 'w@example.com', "
                                            + key + ", 1, now()) ON CONFLICT (id) DO UPDATE SET email = excluded.email");
                                }
                            }
                            writer.commit();
                        }
                    }
                    return null;
                }));
            }
            // Runs adding up (and compacting) the deltas while the writers write.
            for (int i = 0; i < 5; i++) {
                kept.segments(MaintainedChecksums.SEGMENT_BITS, 0, null);
            }
            for (Future<Void> writer : done) {
                writer.get();
            }
        } finally {
            writers.shutdownNow();
        }
        assertSameAsComputed(kept, "maintained_a");
    }

    @Test
    void bisectionOverKeptChecksumsFindsEveryChangeAtEveryLevel() throws Exception {
        MaintainedChecksums a = open("maintained_a", COMPARE, true);
        MaintainedChecksums b = MaintainedChecksums.open("job", "b", second, form("b", "maintained_b", COMPARE), true);
        sql("UPDATE maintained_b SET email = 'other2500@example.com' WHERE id = 'k-2500'");
        sql("UPDATE maintained_b SET score = NULL WHERE id = 'k-17'");
        sql("DELETE FROM maintained_b WHERE id = 'k-99'");
        sql("INSERT INTO maintained_b VALUES ('only-b', 'b@example.com', 1, 1, now())");

        // About five records a segment: a limit of ten records compared splits the four differing segments again.
        for (long rowLimit : new long[]{100_000, 10}) {
            ChecksumBisection.Outcome outcome = new ChecksumBisection(rowLimit, 0.5).run(a, b);
            assertThat(outcome.keysA()).containsExactlyInAnyOrder("k-17", "k-2500", "k-99");
            assertThat(outcome.keysB()).containsExactlyInAnyOrder("k-17", "k-2500", "only-b");
            assertThat(outcome.recordsA()).isEqualTo(RECORDS);
            assertThat(outcome.recordsB()).isEqualTo(RECORDS);
            assertThat(outcome.summary()).startsWith("a: maintained checksums installed (" + RECORDS + " records hashed in ")
                    .contains("; b: maintained checksums installed (" + RECORDS + " records hashed in ")
                    .contains(rowLimit == 10 ? "4 differing; split by 24 bits: 4 differing; 4 records compared" : "4 differing; 17 records compared");
            // The same against the other side's computed checksums: either kind may face the other.
            ChecksumBisection.Outcome mixed = new ChecksumBisection(rowLimit, 0.5)
                    .run(a, new ComputedChecksums("b", second, form("b", "maintained_b", COMPARE), null));
            assertThat(mixed.keysA()).isEqualTo(outcome.keysA());
            assertThat(mixed.keysB()).isEqualTo(outcome.keysB());
        }
    }

    @Test
    void aContractThatChangedIsHashedAgainAndADryRunInstallsNothing() throws Exception {
        assertThatThrownBy(() -> open("maintained_a", List.of("email"), false))
                .isInstanceOf(ChecksumForm.NotExpressible.class)
                .hasMessage("maintained checksums are not installed for this contract, and a dry run does not install them");
        assertThat(TestDatabase.rows(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'maintained_a'::regclass")).isEmpty();

        assertThat(open("maintained_a", List.of("email"), true).note()).startsWith("maintained checksums installed");
        assertThat(open("maintained_a", List.of("email"), false).note()).isEqualTo("maintained checksums");
        MaintainedChecksums wider = open("maintained_a", COMPARE, true);
        assertThat(wider.note()).startsWith("maintained checksums installed");
        sql("UPDATE maintained_a SET points = 1 WHERE id = 'k-1'");
        assertSameAsComputed(wider, "maintained_a");
        assertThat(TestDatabase.rows(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'maintained_a'::regclass")).hasSize(4);
    }

    @Test
    void aTableCreatedAgainOrWithItsTriggersDisabledIsHashedAgainAndReplicasWritesAreKept() throws Exception {
        open("maintained_a", COMPARE, true);
        sql("ALTER TABLE maintained_a DISABLE TRIGGER USER");
        sql("UPDATE maintained_a SET points = 3 WHERE id = 'k-1'");
        assertThat(open("maintained_a", COMPARE, true).note()).startsWith("maintained checksums installed");
        // Writes applied as a replica applies them (logical replication, pg_restore) are kept too.
        connection.setAutoCommit(false);
        sql("SET LOCAL session_replication_role = replica");
        sql("UPDATE maintained_a SET points = 4 WHERE id = 'k-2'");
        connection.commit();
        connection.setAutoCommit(true);
        assertSameAsComputed(open("maintained_a", COMPARE, true), "maintained_a");

        sql("CREATE TABLE maintained_copy AS SELECT * FROM maintained_a");
        sql("DROP TABLE maintained_a");
        sql("ALTER TABLE maintained_copy RENAME TO maintained_a");
        sql("ALTER TABLE maintained_a ADD UNIQUE (id)");
        MaintainedChecksums kept = open("maintained_a", COMPARE, true);
        assertThat(kept.note()).startsWith("maintained checksums installed");
        assertSameAsComputed(kept, "maintained_a");
    }

    @Test
    void droppedChecksumsCostTheWritersNothing() throws Exception {
        open("maintained_a", COMPARE, true);
        String name = ChecksumTriggers.name("job", "a", "maintained_a");

        assertThat(ChecksumTriggers.uninstall(connection, name, "maintained_a")).isTrue();

        assertThat(TestDatabase.rows(connection, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'maintained_a'::regclass")).isEmpty();
        assertThat(TestDatabase.rows(connection, "SELECT to_regclass('" + name + "_rows') AS t").get(0).get("t")).isNull();
        sql("UPDATE maintained_a SET points = 2 WHERE id = 'k-1'");
        assertThat(ChecksumTriggers.uninstall(connection, name, "maintained_a")).isFalse();
    }

    @Test
    void aTableWithoutAUniqueKeyKeepsNone() throws Exception {
        sql("ALTER TABLE maintained_a DROP CONSTRAINT maintained_a_id_key");

        assertThatThrownBy(() -> open("maintained_a", COMPARE, true))
                .isInstanceOf(ChecksumForm.NotExpressible.class)
                .hasMessage("a's key column \"id\" has no unique index of its own, which maintained checksums keep their records by");
    }

    /** Both the first level and a deeper one, and the records of every segment, as the table itself gives them. */
    private Map<Long, SegmentChecksums.Checksum> assertSameAsComputed(MaintainedChecksums kept, String table) throws Exception {
        ComputedChecksums computed = computed(table);
        Map<Long, SegmentChecksums.Checksum> first = kept.segments(MaintainedChecksums.SEGMENT_BITS, 0, null);
        assertThat(first).isEqualTo(computed.segments(MaintainedChecksums.SEGMENT_BITS, 0, null));
        List<Long> some = first.keySet().stream().filter(segment -> segment != null && segment % 7 == 0).toList();
        assertThat(kept.segments(24, MaintainedChecksums.SEGMENT_BITS, some))
                .isEqualTo(computed.segments(24, MaintainedChecksums.SEGMENT_BITS, some));
        List<Long> all = first.keySet().stream().filter(segment -> segment != null).toList();
        assertThat(kept.records(MaintainedChecksums.SEGMENT_BITS, all)).isEqualTo(computed.records(MaintainedChecksums.SEGMENT_BITS, all));
        return first;
    }

    private MaintainedChecksums open(String table, List<String> compare, boolean mayInstall) throws Exception {
        return MaintainedChecksums.open("job", "a", connection, form("a", table, compare), mayInstall);
    }

    private ComputedChecksums computed(String table) throws Exception {
        return new ComputedChecksums("computed", connection, form("computed", table, COMPARE), null);
    }

    private ChecksumForm form(String system, String table, List<String> compare) throws Exception {
        return MemberContract.form(system, system.equals("b") ? second : connection, table, compare);
    }

    private void sql(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
