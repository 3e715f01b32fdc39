package io.syncline.sync;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.IdMapRepository;
import io.syncline.state.RecordState;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a batch reads ahead serves only each record's first unit there: a later unit of the same
 * record (the event's next target, or an event of the record from another system) must read what
 * the units before it wrote, so it gets nothing from the read-ahead and queries for itself.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class BatchReadAheadTest {

    @Inject
    BatchReadAhead readAhead;

    @Inject
    IdMapRepository idMap;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CamelContext camel;

    @Test
    void aRecordsFirstUnitTakesWhatWasReadAheadALaterUnitOfItReadsItsOwn() throws SQLException {
        String id = "read-ahead-" + UUID.randomUUID().toString().substring(0, 8);
        DemoWebhook.finalStatus(DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Ahead")));
        String canonicalId = idMap.canonicalId("contact", "crm", id).orElseThrow();
        CanonicalRecord record = new CanonicalRecord("contact", "crm", id, Map.of(), "hash", canonicalId);
        List<List<String>> rowsAsked = new ArrayList<>();
        BatchReadAhead.RowsLoader<String> rows = ids -> {
            rowsAsked.add(ids);
            return Map.of(id, "billing's row");
        };

        try (ApplyBatch batch = new ApplyBatch(dataSource.getConnection(), List.of(new ApplyBatch.Source("contact", "crm", id)))) {
            SyncUnit first = new SyncUnit(new DefaultExchange(camel), "billing", record, "event:1", "run", null, null,
                    batch.connection(), batch, batch.beginUnit("contact", canonicalId));
            Map<String, RecordState> states = readAhead.states(first);
            assertThat(states).containsOnlyKeys("crm", "billing");
            assertThat(states.get("billing").systemId()).isEqualTo(id);
            assertThat(readAhead.targetRow(first, id, rows)).isEqualTo("billing's row");
            assertThat(rowsAsked).containsExactly(List.of(id));

            SyncUnit later = new SyncUnit(new DefaultExchange(camel), "billing", record, "event:1", "run", null, null,
                    batch.connection(), batch, batch.beginUnit("contact", canonicalId));
            assertThat(readAhead.states(later)).isNull();
            assertThat(readAhead.targetRow(later, id, rows)).isNull();

            assertThat(rowsAsked).as("read once, for the first unit").hasSize(1);
            assertThat(batch.reads().get(BatchReadAhead.RECORD_STATES)).containsExactly(1, 1);
            assertThat(batch.reads().get(BatchReadAhead.TARGET_ROW)).containsExactly(1, 1);
        }
    }
}
