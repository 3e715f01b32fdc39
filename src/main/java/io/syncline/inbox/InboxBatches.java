package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.exchange.ExchangeContract;
import io.syncline.failure.TargetPausedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.store.StoreOutage;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ApplyBatchRefusedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Applying several claimed events in one state-store transaction ({@link ApplyBatch}), for the
 * apply routes listed in {@code syncline.inbox.apply-batch.routes}: one commit, and one flush of
 * PostgreSQL's write-ahead log, for several events instead of one each.
 * <ol>
 * <li>{@code split: {method: {ref: InboxBatches, method: chunks}}} in the dispatcher shares a
 *     claim out among the workers: every worker gets events before any gets several, so a
 *     trickle of events is applied as before, one per transaction, without waiting for company;
 *     a backlog is applied up to {@code max-events} per transaction (and in chunks of that many
 *     while every worker is busy).</li>
 * <li>{@code InboxBatches.begin} in a worker opens the transaction of a chunk of several events
 *     (all of one apply route); each event's sync unit borrows it.</li>
 * <li>{@code InboxBatches.units} sends the chunk down its apply route on one exchange, each
 *     stage working through its events ({@link io.syncline.sync.ApplyEvents}).</li>
 * <li>{@code InboxBatches.end} commits it; if any event failed, or two depended on each other,
 *     the batch was rolled back and each of its events is applied again on its own
 *     ({@value #EVENT_ENDPOINT}), where a failure is retried, held or dead-lettered as always;
 *     but where the target asked to be left alone (429, {@code Retry-After}), the events go back
 *     to the inbox together, due after the wait, and are applied as a batch again.</li>
 * </ol>
 * No claim holds two events of one source record; two of one canonical record, or two that find
 * one target row, make the batch fall back to one event at a time.
 */
@ApplicationScoped
@Named("InboxBatches")
public class InboxBatches {

    private static final Logger LOG = Logger.getLogger(InboxBatches.class);

    /** The route that applies one claimed event ({@link InboxRoutes}). */
    static final String EVENT_ENDPOINT = "direct:inbox-event";

    private final AgroalDataSource dataSource;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final MeterRegistry meters;
    private final InboxWorkerQueue queue;
    private final int maxEvents;
    private final int minEvents;
    private final int workers;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final Inbox inbox;
    /** The apply endpoints ({@code direct:<route id>}) of the routes listed in the configuration. */
    private final Set<String> listed;
    /** The apply endpoints of the routes made from the apply template that may be batched ({@link #batchable}). */
    private volatile Set<String> templated = Set.of();
    /** Listed routes that wrote outside the state store's transaction: applied one event at a time from then on. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    public InboxBatches(AgroalDataSource dataSource, CamelContext camel, ProducerTemplate producer, MeterRegistry meters,
            InboxWorkerQueue queue, SynclineConfig config, Inbox inbox) {
        this.queue = queue;
        this.inbox = inbox;
        this.maxAttempts = config.inbox().maxAttempts();
        this.retryDelay = config.inbox().retryDelay();
        this.maxRetryDelay = config.inbox().maxRetryDelay();
        this.dataSource = dataSource;
        this.camel = camel;
        this.producer = producer;
        this.meters = meters;
        this.maxEvents = config.inbox().applyBatch().maxEvents();
        this.minEvents = config.inbox().applyBatch().minEvents();
        this.workers = config.inbox().workers();
        this.listed = config.inbox().applyBatch().routes().orElse(Set.of()).stream()
                .map(route -> "direct:" + route).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The claim in the chunks the workers take: an event of a route not batched on its own; the
     * others shared out among the workers, at most {@code max-events} per chunk. While events of
     * earlier claims still wait in the queue, every worker is busy and the claim goes in chunks of
     * {@code max-events}: sharing it out would start none of it sooner, and each transaction of
     * fewer events costs more per event. Source order per record needs no care here: a claim
     * holds at most one event of each record.
     */
    public List<List<InboxEvent>> chunks(List<InboxEvent> claimed) {
        return chunksOf(claimed, this::batched, queue.workersBusy(), workers, minEvents, maxEvents);
    }

    /**
     * The chunks of the events a consumer of the inbox topic claimed from one poll, which it
     * applies one after the other on its own thread: at most {@code max-events} per chunk.
     */
    public List<List<InboxEvent>> inTurn(List<InboxEvent> claimed) {
        return shareOut(claimed, this::batched, 1, minEvents, maxEvents);
    }

    /** Not an overload of {@link #chunks}: Camel picks among same-named methods by arguments, and may pick this one. */
    static List<List<InboxEvent>> chunksOf(List<InboxEvent> claimed, Predicate<String> batched, boolean workersBusy,
            int workers, int minEvents, int maxEvents) {
        return shareOut(claimed, batched, workersBusy ? 1 : workers, minEvents, maxEvents);
    }

    static List<List<InboxEvent>> shareOut(List<InboxEvent> claimed, Predicate<String> batched, int workers,
            int minEvents, int maxEvents) {
        List<List<InboxEvent>> chunks = new ArrayList<>(claimed.size());
        // a chunk goes down one apply route: batchable events by route
        Map<String, List<InboxEvent>> batchable = new LinkedHashMap<>();
        int batchableEvents = 0;
        for (InboxEvent event : claimed) {
            if (batched.test(event.applyEndpoint())) {
                batchable.computeIfAbsent(event.applyEndpoint(), route -> new ArrayList<>()).add(event);
                batchableEvents++;
            } else {
                chunks.add(List.of(event));
            }
        }
        int share = (batchableEvents + workers - 1) / workers;
        int size = Math.max(1, Math.min(maxEvents, Math.max(minEvents, share)));
        for (List<InboxEvent> route : batchable.values()) {
            for (int from = 0; from < route.size(); from += size) {
                chunks.add(List.copyOf(route.subList(from, Math.min(from + size, route.size()))));
            }
        }
        return chunks;
    }

    /**
     * The apply endpoints of the routes the model made from the apply template whose every stage
     * is Syncline's own (no hooks): their events are batched as the listed routes' are.
     */
    public void batchable(Set<String> endpoints) {
        templated = Set.copyOf(endpoints);
    }

    /** Each batched route's id, and whether it has written outside the state store (and is applied one event at a time since). */
    Map<String, Boolean> listedRoutes() {
        Map<String, Boolean> routes = new TreeMap<>();
        Set<String> batched = new TreeSet<>(listed);
        batched.addAll(templated);
        batched.forEach(endpoint -> routes.put(endpoint.substring("direct:".length()), refused.contains(endpoint)));
        return routes;
    }

    int maxEvents() {
        return maxEvents;
    }

    /**
     * Whether events of the apply route {@code applyEndpoint} may be applied several in one
     * transaction: a listed or templated route that has not written outside the state store.
     */
    public boolean batched(String applyEndpoint) {
        return (listed.contains(applyEndpoint) || templated.contains(applyEndpoint)) && !refused.contains(applyEndpoint);
    }

    /** A worker's chunk of several events: their transaction, on the exchange for each event's sync unit. */
    public void begin(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<InboxEvent> events = exchange.getMessage().getBody(List.class);
        if (events == null || events.size() < 2) {
            return;
        }
        List<ApplyBatch.Source> sources = events.stream()
                .map(event -> new ApplyBatch.Source(event.entity(), event.sourceSystem(), event.recordKey())).toList();
        try {
            exchange.setProperty(ExchangeContract.APPLY_BATCH,
                    new ApplyBatch(dataSource.getConnection(), sources, queue::stopping));
        } catch (SQLException e) {
            // Each event then opens its own, and fails, is retried and dead-lettered on its own.
            LOG.debugf("No transaction for a batch of %d inbox events (%s): applying them one at a time",
                    events.size(), e.getMessage());
        }
    }

    /**
     * What the workers' split sends down {@value #EVENT_ENDPOINT}: a batch's events together (one
     * exchange down their apply route, {@link io.syncline.sync.ApplyEvents}), a chunk's one event alone.
     */
    public List<?> units(Exchange exchange) {
        List<?> events = exchange.getMessage().getBody(List.class);
        return ApplyBatch.of(exchange) != null ? List.of(events) : events;
    }

    /** An event of the batch failed: the batch is rolled back ({@code inboxFailures} calls this). */
    void aborted(Exchange exchange, ApplyBatch batch, Exception cause) {
        batch.abort(cause);
        failed(exchange.getProperty(ExchangeContract.APPLY_ENDPOINT, String.class), cause);
    }

    /**
     * A batch of the apply route {@code applyEndpoint} failed with {@code cause}: a route that
     * wrote outside the state store's transaction is applied one event at a time from then on.
     */
    public void failed(String applyEndpoint, Exception cause) {
        if (cause instanceof ApplyBatchRefusedException && applyEndpoint != null && refused.add(applyEndpoint)) {
            LOG.errorf("%s: %s", applyEndpoint, cause.getMessage());
        }
    }

    /**
     * Commits the chunk's batch; if an event failed, or the commit did, applies each event again
     * on its own. Nothing to do for a chunk of one event.
     */
    public void end(Exchange exchange) {
        ApplyBatch batch = ApplyBatch.of(exchange);
        if (batch == null) {
            return;
        }
        exchange.removeProperty(ExchangeContract.APPLY_BATCH);
        @SuppressWarnings("unchecked")
        List<InboxEvent> events = exchange.getMessage().getBody(List.class);
        countReads(batch);
        if (!batch.aborted()) {
            try {
                batch.commit();
                count("committed", events.size());
                return;
            } catch (SQLException e) {
                batch.abort(e);
            }
        }
        batch.close();
        if (retriedTogether(events, InboxFailureProcessor.unwrapped(batch.abortCause()))) {
            count("retried", events.size());
            return;
        }
        count("rolled_back", events.size());
        LOG.debugf("A batch of %d inbox events was rolled back (%s): applying each on its own",
                events.size(), batch.abortCause().getMessage());
        for (InboxEvent event : events) {
            Exchange done = producer.send(EVENT_ENDPOINT, ExchangeBuilder.anExchange(camel).withBody(event).build());
            if (done.getException() != null) {
                // Its failure handler could not record the failure either (the state store is down):
                // the event's lease runs out and it is claimed again.
                LOG.logf(StoreOutage.isOutage(done.getException()) ? Logger.Level.DEBUG : Logger.Level.WARN,
                        "Inbox event %d could not be applied or failed: %s", event.id(), done.getException().getMessage());
            }
        }
    }

    /**
     * Whether the batch's events went back to the inbox together, due once the target's wait is
     * over: the target asked to be left alone ({@code 429}, or a {@code Retry-After}), which says
     * nothing of any one event, and applying each alone would send one call a record where the
     * batch sent one for a hundred. The attempt counts, so that a target that never stops asking
     * cannot keep them forever; an event on its last attempt is applied alone instead, where its
     * failure makes it a dead letter as always.
     */
    private boolean retriedTogether(List<InboxEvent> events, Exception cause) {
        if (!(cause instanceof TargetUnavailableException unavailable) || cause instanceof TargetPausedException
                || !(unavailable.status().orElse(0) == 429 || unavailable.retryAfter().isPresent())
                || events.stream().anyMatch(event -> event.attempts() >= maxAttempts)) {
            return false;
        }
        Duration asked = unavailable.retryAfter().orElse(Duration.ZERO);
        Duration delay = asked.compareTo(retryDelay) < 0 ? retryDelay : asked.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : asked;
        try {
            inbox.retryLater(events.stream().map(InboxEvent::id).toList(), delay, cause.getMessage());
        } catch (SQLException e) {
            // the events are claimed again when their lease runs out
            LOG.debugf("A batch of %d inbox events could not be put back to wait for %s: %s", events.size(),
                    unavailable.system(), e.getMessage());
        }
        LOG.debugf("A batch of %d inbox events waits %d ms, as %s asked: %s", events.size(), delay.toMillis(),
                unavailable.system(), cause.getMessage());
        return true;
    }

    /** How the batch's units found their record states and target rows: read ahead for the batch, or by their own query. */
    private void countReads(ApplyBatch batch) {
        batch.reads().forEach((read, counts) -> {
            for (int i = 0; i < 2; i++) {
                if (counts[i] > 0) {
                    Counter.builder("syncline.inbox.batched.reads")
                            .description("Reads of the events applied in batches, by what was read and whether it was"
                                    + " read ahead for the whole batch or by the event's own query")
                            .tag("read", read).tag("by", i == 0 ? "batch" : "event")
                            .register(meters).increment(counts[i]);
                }
            }
        });
    }

    private void count(String outcome, int events) {
        Counter.builder("syncline.inbox.batched.events")
                .description("Inbox events applied several in one transaction, by what became of the transaction")
                .tag("outcome", outcome)
                .register(meters).increment(events);
    }
}
