package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.IdMapRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.sql.SQLException;
import java.util.UUID;

/**
 * The apply route's ID map stage ({@code process: {ref: RecordIdentifier}}): gives the
 * transformer's record (the exchange's body, or each of its batch's: {@link ApplyEvents}) its
 * canonical id from the cross-system ID map, a new one the first time the record is seen.
 *
 * <p>In a sandbox ({@link ExchangeContract#SANDBOX}: a sync plan) nothing is linked: a new
 * record's canonical id lives as long as its exchange.
 *
 * <p>Alone, a new record's link commits at once, in a transaction of its own, so that a retry of
 * the event (after a target's failure, say, or a hold for review) finds the same canonical id.
 * In an {@link ApplyBatch} the link goes with the batch's writes instead, sent together before its
 * commit: all or nothing, the batch's rollback undoes it along with everything stored under the
 * new id, and its events are then applied alone, as above. The batch's records' links are read
 * once for all of them.
 */
@ApplicationScoped
@Named("RecordIdentifier")
public class RecordIdentifier implements Processor {

    @Inject
    IdMapRepository idMap;
    @Inject
    BatchReadAhead readAhead;

    @Override
    public void process(Exchange exchange) throws Exception {
        ApplyEvents.forEach(exchange, event -> {
            CanonicalRecord record = withCanonicalId(event.getMessage().getMandatoryBody(CanonicalRecord.class), event);
            event.getMessage().setBody(record);
            event.setProperty(ExchangeContract.CANONICAL_ID, record.canonicalId());
        });
    }

    /** The record with its canonical id. */
    CanonicalRecord withCanonicalId(CanonicalRecord record, Exchange exchange) throws SQLException {
        if (record.canonicalId() != null) {
            return record; // identified already: a mapping's own route repeating the stage (apply-route)
        }
        if (record.sourceId() == null) {
            throw new IllegalArgumentException(record.entity() + " from " + record.sourceSystem() + " has no id");
        }
        if (Boolean.TRUE.equals(exchange.getProperty(ExchangeContract.SANDBOX, Boolean.class))) {
            // a plan keeps nothing: a record new to the ID map is given an id for this evaluation only
            return record.withCanonicalId(idMap.canonicalId(record.entity(), record.sourceSystem(), record.sourceId())
                    .orElseGet(() -> UUID.randomUUID().toString()));
        }
        ApplyBatch batch = ApplyBatch.of(exchange);
        String canonicalId = batch == null ? idMap.resolve(record.entity(), record.sourceSystem(), record.sourceId())
                : inBatch(batch, new ApplyBatch.Source(record.entity(), record.sourceSystem(), record.sourceId()));
        return record.withCanonicalId(canonicalId);
    }

    private String inBatch(ApplyBatch batch, ApplyBatch.Source source) throws SQLException {
        String known = readAhead.sourceLinks(batch, source.entity(), source.system()).get(source.id());
        if (known == null) {
            known = batch.identity(source);
        }
        if (known != null) {
            return known;
        }
        String fresh = UUID.randomUUID().toString();
        // Sent with the batch's writes: if another transaction linked the record since the batch
        // read its links, the link inserts nothing, the batch is rolled back, and the event applied
        // alone finds that link.
        idMap.linkFresh(batch.writes(), source.entity(), fresh, source.system(), source.id());
        batch.identified(source, fresh);
        batch.whenEnded(committed -> idMap.ended(source.entity(), fresh, source.system(), source.id(), committed));
        return fresh;
    }
}
