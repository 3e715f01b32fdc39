package io.syncline.connector;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.failure.TargetRejectedException;
import io.syncline.sync.ApplyEvents;
import io.syncline.webhook.SystemWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The apply route's first stage ({@code process: {ref: SourceRecordFetcher}}): where the source
 * system's webhook sends thin events ({@code webhook.fetch: true}: an id and what changed, not the
 * record), and for notices ({@link ExchangeContract#ORIGIN_NOTICE}: a captured change stream's, or
 * a missing parent's asked for by a waiting child),
 * fetches the record by its id ({@value ExchangeContract#RECORD_KEY}) through the source's
 * system type ({@link io.syncline.model.Ability#FETCH}) and makes it the body the transformer
 * maps. The fetch is the type's own call, so it waits its turn under the system's rate limit and
 * fails as a write does: no answer, 408, 429 or 5xx are retried by the inbox (not before
 * {@code Retry-After}); a record the source does not have (404, 410) is a dead letter at once,
 * as is any other 4xx. The inbox keeps the thin event, so a retry or a replay fetches again.
 * A record an event carries whole is handed to its system's type to be completed where the system
 * pages inside a record ({@link io.syncline.connector.spi.SystemType#completed}, Stripe's invoice
 * lines); most return it as it is, and it passes through untouched.
 */
@ApplicationScoped
@Named("SourceRecordFetcher")
@RegisterForReflection
public class SourceRecordFetcher implements Processor {

    /** Events that carry the whole record already: a re-sync's last known values, a backfill's pulled record. */
    private static final Set<String> FULL_RECORDS = Set.of(ExchangeContract.ORIGIN_RESYNC, ExchangeContract.ORIGIN_BACKFILL);

    private final SystemTypes types;

    public SourceRecordFetcher(SystemTypes types) {
        this.types = types;
    }

    /** Each event of the exchange: its own, or each of a batch's (whose exchange carries no event's origin). */
    @Override
    public void process(Exchange exchange) throws Exception {
        ApplyEvents.forEach(exchange, this::fetch);
    }

    private void fetch(Exchange exchange) throws Exception {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        String origin = exchange.getProperty(ExchangeContract.ORIGIN, String.class);
        boolean thin = fetches(system) || ExchangeContract.ORIGIN_NOTICE.equals(origin);
        if (exchange.getProperty(ExchangeContract.FETCHED, false, Boolean.class) || FULL_RECORDS.contains(origin)) {
            return;
        }
        if (!thin) {
            complete(exchange, system);
            return;
        }
        String entity = RouteContext.require(exchange, ExchangeContract.ENTITY);
        String id = exchange.getProperty(ExchangeContract.RECORD_KEY, String.class);
        if (id == null) {
            throw new TargetRejectedException(system, 0, null, "the thin event from " + system
                    + " names no record to fetch: set webhook.events.recordId to where its id is");
        }
        Optional<Map<String, Object>> record = types.of(system).fetch(entity, system, id);
        if (record.isEmpty()) {
            throw new TargetRejectedException(system, 404, null, system + " has no " + entity + " " + id
                    + " to fetch for its " + (ExchangeContract.ORIGIN_NOTICE.equals(origin) ? "notice" : "thin event")
                    + " (404): it was deleted or never existed");
        }
        exchange.getMessage().setBody(record.get());
        // a fan-out's targets take the record fetched once, not once each
        exchange.setProperty(ExchangeContract.FETCHED, true);
    }

    /** A whole record of the event, completed by its system's type where it pages inside a record. */
    private void complete(Exchange exchange, String system) throws Exception {
        if (!(exchange.getMessage().getBody() instanceof Map<?, ?> body)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) body;
        Map<String, Object> completed = types.of(system).completed(RouteContext.require(exchange, ExchangeContract.ENTITY), system,
                record);
        if (completed != record) {
            exchange.getMessage().setBody(completed);
            exchange.setProperty(ExchangeContract.FETCHED, true);
        }
    }

    private boolean fetches(String system) {
        return types.webhook(system).map(SystemWebhook::fetch).orElse(false);
    }
}
