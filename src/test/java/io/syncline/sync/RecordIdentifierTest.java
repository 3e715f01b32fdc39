package io.syncline.sync;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.IdMapRepository;
import io.syncline.store.RowExistsException;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ID map stage in and out of a batch, on the real PostgreSQL: alone, a new record's link
 * commits at once; in a batch it commits with the batch or not at all, and until then its
 * canonical id has no links and no record states to look up.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class RecordIdentifierTest {

    private static final String LINKS = "SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?";

    @Inject
    RecordIdentifier identifier;

    @Inject
    IdMapRepository idMap;

    @Inject
    BatchReadAhead readAhead;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CamelContext camel;

    private static String newId() {
        return "identify-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static CanonicalRecord record(String id) {
        return new CanonicalRecord("contact", "crm", id, Map.of("lastName", "Identified"), "hash", null);
    }

    private Exchange exchange(ApplyBatch batch) {
        Exchange exchange = new DefaultExchange(camel);
        if (batch != null) {
            exchange.setProperty(ExchangeContract.APPLY_BATCH, batch);
        }
        return exchange;
    }

    private ApplyBatch batchOf(String... ids) throws SQLException {
        return new ApplyBatch(dataSource.getConnection(),
                java.util.Arrays.stream(ids).map(id -> new ApplyBatch.Source("contact", "crm", id)).toList());
    }

    @Test
    void aloneANewRecordsLinkCommitsAtOnce() throws SQLException {
        String id = newId();
        String canonicalId = identifier.withCanonicalId(record(id), exchange(null)).canonicalId();

        assertThat(TestDatabase.query(LINKS, id)).containsExactly(Map.of("canonical_id", canonicalId));
        assertThat(identifier.withCanonicalId(record(id), exchange(null)).canonicalId()).isEqualTo(canonicalId);
    }

    @Test
    void inABatchANewRecordsLinkCommitsWithTheBatchAndHasNothingToLookUpBefore() throws SQLException {
        String id = newId();
        String canonicalId;
        try (ApplyBatch batch = batchOf(id)) {
            canonicalId = identifier.withCanonicalId(record(id), exchange(batch)).canonicalId();

            assertThat(TestDatabase.query(LINKS, id)).as("not committed yet").isEmpty();
            assertThat(identifier.withCanonicalId(record(id), exchange(batch)).canonicalId())
                    .as("the batch's own answer, for another event of the record").isEqualTo(canonicalId);
            assertThat(idMap.systemId("contact", canonicalId, "billing")).isEmpty();
            SyncUnit unit = new SyncUnit(exchange(batch), "billing", record(id).withCanonicalId(canonicalId), "event:1", "run",
                    null, null, batch.connection(), batch, batch.beginUnit("contact", canonicalId));
            assertThat(readAhead.states(unit)).isEmpty();
            assertThat(batch.reads().get(BatchReadAhead.RECORD_STATES)).as("by batch, by event").containsExactly(1, 0);

            batch.commit();
        }

        assertThat(TestDatabase.query(LINKS, id)).containsExactly(Map.of("canonical_id", canonicalId));
        assertThat(identifier.withCanonicalId(record(id), exchange(null)).canonicalId()).isEqualTo(canonicalId);
    }

    @Test
    void aBatchRolledBackTakesItsNewLinkWithItAndTheEventAloneMakesOneThatCommits() throws SQLException {
        String id = newId();
        String inBatch;
        try (ApplyBatch batch = batchOf(id)) {
            inBatch = identifier.withCanonicalId(record(id), exchange(batch)).canonicalId();
            batch.abort(new IllegalStateException("another event of the batch failed"));
        }
        assertThat(TestDatabase.query(LINKS, id)).isEmpty();

        String alone = identifier.withCanonicalId(record(id), exchange(null)).canonicalId();

        assertThat(alone).isNotEqualTo(inBatch);
        assertThat(TestDatabase.query(LINKS, id)).containsExactly(Map.of("canonical_id", alone));
    }

    @Test
    void aRecordLinkedByAnotherTransactionAfterTheBatchReadItsLinksFailsTheBatchAndAloneTakesThatId()
            throws SQLException {
        String first = newId();
        String second = newId();
        String committedFirst;
        try (ApplyBatch batch = batchOf(first, second)) {
            // The batch reads its records' links at its first event: the second is not linked then.
            identifier.withCanonicalId(record(first), exchange(batch));
            committedFirst = idMap.resolve("contact", "crm", second);
            identifier.withCanonicalId(record(second), exchange(batch));

            assertThatThrownBy(batch::commit).isInstanceOf(RowExistsException.class).hasMessageContaining(second);
        }
        assertThat(TestDatabase.query(LINKS, first)).as("rolled back with its batch").isEmpty();

        assertThat(identifier.withCanonicalId(record(second), exchange(null)).canonicalId()).isEqualTo(committedFirst);
        assertThat(TestDatabase.query(LINKS, second)).containsExactly(Map.of("canonical_id", committedFirst));
    }

    @Test
    void aRecordTheIdMapKnowsIsAnsweredFromWhatTheBatchReadAhead() throws SQLException {
        String id = newId();
        String known = idMap.resolve("contact", "crm", id);
        try (ApplyBatch batch = batchOf(id)) {
            assertThat(identifier.withCanonicalId(record(id), exchange(batch)).canonicalId()).isEqualTo(known);
            assertThat(readAhead.sourceLinks(batch, "contact", "crm")).containsEntry(id, known);
            batch.commit();
        }
        assertThat(TestDatabase.query(LINKS, id)).containsExactly(Map.of("canonical_id", known));
    }
}
