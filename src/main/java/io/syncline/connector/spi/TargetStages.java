package io.syncline.connector.spi;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.TargetMatcher;
import io.syncline.connector.TargetWriter;
import io.syncline.matching.IdMapRepository;
import io.syncline.sync.BatchReadAhead;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The target stages of an apply route for one system type, around the conflict processor:
 * {@link #match} finds the record the event is in the target (ID map, then the entity's match
 * rules) and reads its current values into the sync unit; {@link #write} writes what the
 * conflict processor resolved and links the record in the ID map. Both take the exchange of one
 * event, or of a batch's events where the type can write batches. The route calls them through
 * {@link TargetMatcher} and {@link TargetWriter}, which choose the target's type.
 */
public interface TargetStages {

    void match(Exchange exchange) throws Exception;

    void write(Exchange exchange) throws Exception;

    /** The stages of a type whose matching and writing are each one processor of its own. */
    static TargetStages of(Processor match, Processor write) {
        return new TargetStages() {

            @Override
            public void match(Exchange exchange) throws Exception {
                match.process(exchange);
            }

            @Override
            public void write(Exchange exchange) throws Exception {
                write.process(exchange);
            }
        };
    }

    /** What the engine lends a type's stages. */
    record Context(SyncModelRegistry registry, IdMapRepository idMap, TargetMatching matching, BatchReadAhead readAhead) {
    }
}
