package io.syncline.state;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ANALYZE keeps statistics only for the state store's columns a query filters on (V19): record
 * states by their primary key, no inbox payloads, no audit diffs. Sorting the sampled JSON texts
 * and all-distinct hashes was most of what autovacuum's ANALYZE of record_state cost. Done in one
 * transaction that is rolled back, statistics included.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class ColumnStatisticsTest {

    @Test
    void analyseKeepsStatisticsOnlyForColumnsQueriesFilterOn() throws SQLException {
        try (Connection connection = TestDatabase.connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO record_state (entity, canonical_id, system, system_id, source_system,"
                        + " source_id, version_hash, field_values, fingerprint, provenance, last_synced_at, sync_run_id,"
                        + " applied_from) SELECT 'statistics-test', 'c-' || g, 'billing', 'b-' || g, 'crm', 'crm-' || g,"
                        + " md5(g::text), '{\"email\":\"' || g || '@example.com\"}', md5(g::text), '{}', now(), 'run-' || g,"
                        + " '{}' FROM generate_series(1, 200) g");
                statement.executeUpdate("INSERT INTO audit_log (action, entity, canonical_id, diff, detail)"
                        + " SELECT 'created', 'statistics-test', 'c-' || g, '{\"email\":{}}', 'detail ' || g"
                        + " FROM generate_series(1, 200) g");
                statement.executeUpdate("INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key,"
                        + " payload, status, last_error) SELECT 'statistics-test', 'direct:none', 'contact', 'crm', 'crm-' || g,"
                        + " '{\"id\":\"crm-' || g || '\"}', 'done', 'error ' || g FROM generate_series(1, 200) g");
                statement.execute("ANALYZE record_state, audit_log, inbox");
            }

            assertThat(analysed(connection, "record_state")).as("the primary key's columns only")
                    .containsExactly("canonical_id", "entity", "system");
            assertThat(analysed(connection, "audit_log")).contains("entity", "canonical_id").doesNotContain("diff", "detail");
            assertThat(analysed(connection, "inbox")).contains("status", "record_key").doesNotContain("payload", "last_error");
            connection.rollback();
        }
    }

    private static Set<String> analysed(Connection connection, String table) throws SQLException {
        List<Map<String, Object>> rows = TestDatabase.rows(connection,
                "SELECT attname FROM pg_stats WHERE schemaname = current_schema() AND tablename = ?", table);
        Set<String> columns = new TreeSet<>();
        rows.forEach(row -> columns.add((String) row.get("attname")));
        return columns;
    }
}
