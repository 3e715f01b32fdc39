package io.syncline.reconcile.bisect;

import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checksums themselves, on the real PostgreSQL: two tables of 5,000 records, the second
 * written in the opposite order. Equal records must checksum alike whatever their order, and every
 * kind of change must be found, including those PostgreSQL's own hash functions cannot see.
 */
class ChecksumBisectionTest {

    /** A database of its own: tables created here must not precede Flyway in the application's. */
    private static final String URL = TestDatabase.siblingUrl("_checksums");
    private static final int RECORDS = 5000;
    private static final List<String> COMPARE = List.of("email", "points", "score", "updatedAt");

    private Connection a;
    private Connection b;

    @BeforeEach
    void createTables() throws SQLException {
        TestDatabase.ensureDatabase(URL, false);
        a = TestDatabase.connect(URL);
        b = TestDatabase.connect(URL);
        for (String table : List.of("checksum_a", "checksum_b")) {
            String order = table.equals("checksum_a") ? "ASC" : "DESC";
            sql("DROP TABLE IF EXISTS " + table);
            sql("CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, email VARCHAR(100), points BIGINT, score FLOAT8,"
                    + " updated_at TIMESTAMP WITH TIME ZONE)");
            sql("INSERT INTO " + table + " SELECT 'k-' || g, ' User' || g || '@Example.COM', g * 7, g / 3.0,"
                    + " TIMESTAMPTZ '2024-03-01 09:30:00Z' + g * INTERVAL '1 second' FROM generate_series(1, " + RECORDS + ") g"
                    + " ORDER BY g " + order);
        }
    }

    @AfterEach
    void close() throws SQLException {
        a.close();
        b.close();
    }

    @Test
    void theSameRecordsInAnotherOrderChecksumAlike() throws Exception {
        // written as the contract would write it, and spaces inside a value on both sides: the same canonical records
        sql("UPDATE checksum_b SET email = 'user7@example.com' WHERE id = 'k-7'");
        sql("UPDATE checksum_a SET email = 'Us er9@Example.COM' WHERE id = 'k-9'");
        sql("UPDATE checksum_b SET email = '  us er9@example.com ' WHERE id = 'k-9'");

        ChecksumBisection.Outcome outcome = run();

        assertThat(outcome.recordsA()).isEqualTo(RECORDS);
        assertThat(outcome.recordsB()).isEqualTo(RECORDS);
        assertThat(outcome.keysA()).isEmpty();
        assertThat(outcome.keysB()).isEmpty();
        assertThat(outcome.summary()).contains(" segments, 0 differing");
    }

    @Test
    void oneChangedFieldAndOneNullAreFound() throws Exception {
        sql("UPDATE checksum_b SET email = 'other2500@example.com' WHERE id = 'k-2500'");
        sql("UPDATE checksum_b SET score = NULL WHERE id = 'k-17'");

        assertDiffer(run(), "k-17", "k-2500");
    }

    @Test
    void twoRecordsOfOneSegmentSwappingAValueAreFound() throws Exception {
        List<String> pair = query("SELECT min(id), max(id) FROM checksum_b GROUP BY hashtextextended(id, 0) & 4095"
                + " HAVING count(*) > 1 LIMIT 1");
        sql("UPDATE checksum_b SET email = CASE id WHEN '" + pair.get(0) + "' THEN (SELECT email FROM checksum_a WHERE id = '"
                + pair.get(1) + "') ELSE (SELECT email FROM checksum_a WHERE id = '" + pair.get(0) + "') END"
                + " WHERE id IN ('" + pair.get(0) + "', '" + pair.get(1) + "')");

        assertDiffer(run(), pair.toArray(String[]::new));
    }

    /** PostgreSQL folds a 64-bit integer or timestamp to 32 bits before hashing it: these pairs hash alike there. */
    @Test
    void integersAndTimesThatPostgresqlsOwnHashesConfuseAreFound() throws Exception {
        assertThat(query("SELECT hashint8extended(1, 5) = hashint8extended(4294967296, 5)")).containsExactly("t");
        String time = "TIMESTAMPTZ '2024-03-01 09:30:00Z'";
        String later = time + " + 4294967297 * INTERVAL '1 microsecond'";
        assertThat(query("SELECT timestamp_hash_extended(" + time + " AT TIME ZONE 'UTC', 5)"
                + " = timestamp_hash_extended((" + later + ") AT TIME ZONE 'UTC', 5)")).containsExactly("t");
        sql("UPDATE checksum_a SET points = 1 WHERE id = 'k-40'");
        sql("UPDATE checksum_b SET points = 4294967296 WHERE id = 'k-40'");
        sql("UPDATE checksum_a SET updated_at = " + time + " WHERE id = 'k-41'");
        sql("UPDATE checksum_b SET updated_at = " + later + " WHERE id = 'k-41'");

        assertDiffer(run(), "k-40", "k-41");
    }

    private static void assertDiffer(ChecksumBisection.Outcome outcome, String... keys) {
        assertThat(outcome.keysA()).containsExactlyInAnyOrder((Object[]) keys);
        assertThat(outcome.keysB()).containsExactlyInAnyOrder((Object[]) keys);
    }

    private ChecksumBisection.Outcome run() throws Exception {
        return new ChecksumBisection(100_000, 0.1).run(side("a", a, "checksum_a"), side("b", b, "checksum_b"));
    }

    private static SegmentChecksums side(String system, Connection connection, String table) throws Exception {
        return new ComputedChecksums(system, connection, MemberContract.form(system, connection, table, COMPARE), null);
    }

    private void sql(String sql) throws SQLException {
        try (Statement statement = a.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Statement statement = a.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                values.add(rows.getString(i));
            }
            return values;
        }
    }
}
