package io.syncline.plan;

import io.syncline.backfill.DryRunDecision;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;

import java.util.LinkedHashMap;

/**
 * Decides what one record would come to in one target under a model, writing nothing: the record
 * goes down the target's apply route as a dry run in a sandbox ({@link ExchangeContract#DRY_RUN},
 * {@link ExchangeContract#SANDBOX}), on this thread, with the model as the one every stage reads
 * ({@link SyncModelRegistry#evaluating}). Every stage decides as it would (transformer, privacy
 * guard, ID map, references, idempotent consumer, rules, match, conflicts); the write stage only
 * says what it would write, the unit is rolled back, and a record new to the ID map is not linked.
 * Where the records come from is no concern of this class ({@link RecordSource}).
 */
@ApplicationScoped
public class PlanEvaluator {

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final SyncModelRegistry registry;

    public PlanEvaluator(ProducerTemplate producer, CamelContext camel, SyncModelRegistry registry) {
        this.producer = producer;
        this.camel = camel;
        this.registry = registry;
    }

    /**
     * @param endpoint the apply route of the record's entity from its source into the target
     * @throws Exception a target's or the store's failure: no decision about the record
     */
    public DryRunDecision decide(CompiledModel model, String planId, String endpoint, String target, PlannedRecord record)
            throws Exception {
        Exchange exchange = ExchangeBuilder.anExchange(camel).withBody(new LinkedHashMap<>(record.values()))
                .withProperty(ExchangeContract.DRY_RUN, true)
                .withProperty(ExchangeContract.SANDBOX, true)
                .withProperty(ExchangeContract.EVALUATED_MODEL, model)
                .withProperty(ExchangeContract.SHADOW_REPLAY, record.inboxId() != null)
                .withProperty(ExchangeContract.EVENT_ID, record.eventId() + ":" + target)
                .withProperty(ExchangeContract.ORIGIN, record.origin())
                .withProperty(ExchangeContract.RUN_ID, "plan:" + planId)
                .withProperty(ExchangeContract.SOURCE_ROUTE, "plan:" + planId)
                .build();
        return registry.evaluating(model, () -> DryRunDecision.of(producer.send(endpoint, exchange)));
    }
}
