package io.syncline.matching;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.store.Conditions;
import io.syncline.store.KeysetCursor;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ID map's list reads an index, not the whole map, for each page: by entity and system (the
 * primary key, also past a cursor) and by link time (V27's index), on a map of 20,000 records.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class IdMapListPlanTest {

    private static final String ENTITY = "plan-" + UUID.randomUUID();
    private static Instant recent;

    @BeforeAll
    static void aLargeMap() throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO id_map (entity, canonical_id, system, system_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
            Timestamp old = Timestamp.from(Instant.now().minus(3, ChronoUnit.DAYS));
            for (int i = 0; i < 20_000; i++) {
                for (String system : new String[]{"crm", "billing"}) {
                    insert.setString(1, ENTITY);
                    insert.setString(2, "k" + i);
                    insert.setString(3, system);
                    insert.setString(4, system + "-" + i);
                    insert.setTimestamp(5, old);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
            recent = Instant.now();
            for (int i = 0; i < 5; i++) {
                insert.setString(1, ENTITY);
                insert.setString(2, "new" + i);
                insert.setString(3, "crm");
                insert.setString(4, "crm-new-" + i);
                insert.setTimestamp(5, Timestamp.from(recent.plusMillis(1)));
                insert.executeUpdate();
            }
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("ANALYZE id_map");
            }
        }
    }

    private static String plan(IdMapFilter filter, String cursor) throws SQLException {
        Conditions conditions = filter.conditions(cursor);
        try (Connection connection = TestDatabase.connect();
                PreparedStatement explain = connection.prepareStatement("EXPLAIN " + IdMapRepository.listSql(conditions))) {
            explain.setInt(conditions.bind(explain), 101);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    @Test
    void aPageOfOneSystemReadsThePrimaryKeyAlsoPastACursor() throws SQLException {
        IdMapFilter bySystem = new IdMapFilter(ENTITY, "crm", null, null, null, null);

        assertThat(plan(bySystem, null)).contains("id_map_pk").doesNotContain("Seq Scan");
        assertThat(plan(bySystem, KeysetCursor.encode(ENTITY, "crm", "crm-15000"))).contains("id_map_pk")
                .doesNotContain("Seq Scan").doesNotContain("Sort");
    }

    @Test
    void linksMadeSinceATimeAreReadByTheLinkTimeIndex() throws SQLException {
        assertThat(plan(new IdMapFilter(null, null, null, null, null, recent), null)).contains("id_map_created_idx")
                .doesNotContain("Seq Scan");
    }
}
