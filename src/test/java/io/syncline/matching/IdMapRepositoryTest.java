package io.syncline.matching;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.store.DeferredWrites;
import io.syncline.store.RowExistsException;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ID map remembers committed links: a record's later lookups do not ask the database. The
 * table is insert-only in the application; the tests delete its rows behind the repository's
 * back only to show which lookups still reach the database.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class IdMapRepositoryTest {

    private static final String ENTITY = "contact";

    @Inject
    IdMapRepository idMap;

    @Inject
    AgroalDataSource dataSource;

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static void sql(String statement, String... parameters) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                prepared.setString(i + 1, parameters[i]);
            }
            prepared.executeUpdate();
        }
    }

    private static void insertLink(String canonicalId, String system, String systemId) throws SQLException {
        sql("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES (?, ?, ?, ?)", ENTITY, canonicalId, system, systemId);
    }

    private static void forget(String canonicalId) throws SQLException {
        sql("DELETE FROM id_map WHERE entity = ? AND canonical_id = ?", ENTITY, canonicalId);
    }

    @Test
    void aCanonicalIdReadFromTheDatabaseComesWithTheRecordsOtherLinksRemembered() throws SQLException {
        String canonical = id("canonical"), crm = id("crm"), billing = id("billing");
        // linked by another replica
        insertLink(canonical, "crm", crm);
        insertLink(canonical, "billing", billing);

        assertThat(idMap.canonicalId(ENTITY, "crm", crm)).contains(canonical);
        forget(canonical);

        assertThat(idMap.canonicalId(ENTITY, "crm", crm)).contains(canonical);
        assertThat(idMap.systemId(ENTITY, canonical, "billing")).contains(billing);
        assertThat(idMap.canonicalId(ENTITY, "billing", billing)).contains(canonical);
    }

    @Test
    void severalRecordsAreLookedUpAtOnceTheUnknownLeftOutAndWhatWasReadRemembered() throws SQLException {
        String first = id("canonical"), second = id("canonical");
        String crm1 = id("crm"), crm2 = id("crm"), unknown = id("crm"), billing1 = id("billing");
        insertLink(first, "crm", crm1);
        insertLink(first, "billing", billing1);
        insertLink(second, "crm", crm2);

        assertThat(idMap.canonicalIds(ENTITY, "crm", List.of(crm1, crm2, unknown)))
                .isEqualTo(Map.of(crm1, first, crm2, second));
        assertThat(idMap.systemIds(ENTITY, List.of(first, second), "billing")).as("the second has no billing link")
                .isEqualTo(Map.of(first, billing1));
        forget(first);
        forget(second);

        assertThat(idMap.canonicalIds(ENTITY, "crm", List.of(crm1, crm2))).isEqualTo(Map.of(crm1, first, crm2, second));
        assertThat(idMap.systemIds(ENTITY, List.of(first), "billing")).isEqualTo(Map.of(first, billing1));
    }

    @Test
    void linksTheRepositoryMadeAreRemembered() throws SQLException {
        String crm = id("crm"), billing = id("billing");
        String canonical = idMap.resolve(ENTITY, "crm", crm);
        idMap.link(ENTITY, canonical, "billing", billing);
        forget(canonical);

        assertThat(idMap.resolve(ENTITY, "crm", crm)).isEqualTo(canonical);
        assertThat(idMap.systemId(ENTITY, canonical, "billing")).contains(billing);
    }

    @Test
    void aLinkMadeInATransactionThatRolledBackIsNotRemembered() throws SQLException {
        String canonical = id("canonical"), billing = id("billing");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            idMap.link(connection, ENTITY, canonical, "billing", billing);
            assertThat(idMap.systemId(ENTITY, canonical, "billing")).as("not committed yet").isEmpty();
            connection.rollback();
            connection.setAutoCommit(true);
        }

        assertThat(idMap.systemId(ENTITY, canonical, "billing")).isEmpty();
        assertThat(idMap.canonicalId(ENTITY, "billing", billing)).isEmpty();
    }

    @Test
    void aLinkNotFoundIsLookedUpAgainNextTime() throws SQLException {
        String canonical = id("canonical"), billing = id("billing");
        assertThat(idMap.systemId(ENTITY, canonical, "billing")).isEmpty();
        assertThat(idMap.canonicalId(ENTITY, "billing", billing)).isEmpty();

        insertLink(canonical, "billing", billing);

        assertThat(idMap.systemId(ENTITY, canonical, "billing")).isEqualTo(Optional.of(billing));
        assertThat(idMap.canonicalId(ENTITY, "billing", billing)).isEqualTo(Optional.of(canonical));
    }

    @Test
    void aLinkSentWithDeferredWritesCommitsWithThemAndOneThatInsertsNothingFailsThem() throws SQLException {
        String canonical = id("canonical"), billing = id("billing"), other = id("canonical");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            DeferredWrites writes = new DeferredWrites(connection);
            idMap.linkNew(writes, ENTITY, canonical, "billing", billing);
            assertThat(TestDatabase.query("SELECT 1 FROM id_map WHERE system_id = ?", billing)).as("held back").isEmpty();
            writes.flush();
            connection.commit();

            idMap.linkNew(writes, ENTITY, other, "billing", billing);
            assertThatThrownBy(writes::flush).isInstanceOf(RowExistsException.class).hasMessageContaining(billing);
            connection.rollback();
            writes.close();
            connection.setAutoCommit(true);
        }

        assertThat(idMap.canonicalId(ENTITY, "billing", billing)).contains(canonical);
    }
}
