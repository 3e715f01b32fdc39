package io.syncline.backfill;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.connector.SystemTypes;
import io.syncline.drift.MappingPausedException;
import io.syncline.exchange.ExchangeContract;
import io.syncline.failure.PermanentFailure;
import io.syncline.inbox.InboxBatches;
import io.syncline.inbox.InboxFailureProcessor;
import io.syncline.mapping.RecordHeldException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.model.Ability;
import io.syncline.rules.RuleHeldException;
import io.syncline.store.HotTableStatistics;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ParentNotLinkedException;
import io.syncline.tombstone.SubjectErasedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's pages applied in the page's own transaction: the page's records go down each target's
 * apply route together, as one {@link ApplyBatch} inside the transaction that also moves the
 * job's checkpoint, so that the target rows, ID-map links, record states, audit entries and
 * checkpoint of a page commit together (a target database's rows just before, as for an inbox
 * batch). Each stage decides every record as it would alone, and reads what it needs once for
 * the page (links, record states, match candidates): no inbox row is written, claimed or
 * completed for them.
 *
 * <p>Only what a page cannot decide goes through the inbox ({@link RunPages}): a record a stage
 * holds, refuses, or makes wait (a review, a dead letter, a parent not linked yet) is taken out
 * and the rest of the page applied again, up to {@value #TAKE_OUTS} times; then, or when the
 * page fails as a whole (a target that is away, two records of one target row, a write outside
 * the state store's transaction), the page's records all become inbox events. The inbox then
 * decides them as it always does, with its retries, review queue and dead letters. Targets
 * whose writes a rolled-back attempt would not undo (an HTTP API: {@link Ability#TRANSACTIONAL_WRITE}),
 * or whose apply route is not applied in batches (a mapping with a hook or a route of its own),
 * take the page's records through the inbox too.
 *
 * <p>The same guarantees as the inbox's: a record's event id is the one its inbox event would
 * have, so a page read again after a takeover applies nothing twice; the page is in the store
 * whole or not at all.
 */
final class AppliedPages implements BackfillRunner.PageStore {

    /** Records taken out of a page before the whole page goes through the inbox instead. */
    static final int TAKE_OUTS = 8;

    private static final Logger LOG = Logger.getLogger(AppliedPages.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final BackfillJob job;
    private final List<String> targets;
    private final RunPages inboxPages;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final InboxBatches batches;
    private final SystemTypes types;
    private final HotTableStatistics statistics;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private ApplyBatch pending;

    AppliedPages(BackfillJob job, List<String> targets, RunPages inboxPages, ProducerTemplate producer,
            CamelContext camel, InboxBatches batches, SystemTypes types, HotTableStatistics statistics, ObjectMapper json) {
        this.job = job;
        this.targets = targets;
        this.inboxPages = inboxPages;
        this.producer = producer;
        this.camel = camel;
        this.batches = batches;
        this.types = types;
        this.statistics = statistics;
        this.json = json;
    }

    @Override
    public BackfillJobRepository.Page store(Connection connection, List<SourceRecord> records, long firstSeq) throws Exception {
        List<SourceRecord> passing = inboxPages.passing(records);
        List<String> applied = targets.stream().filter(this::appliedWithPages).toList();
        List<String> queued = targets.stream().filter(target -> !applied.contains(target)).toList();
        List<SourceRecord> direct = applied.isEmpty() ? List.of() : new ArrayList<>(passing);
        List<SourceRecord> takenOut = new ArrayList<>();
        for (int attempt = 0; !direct.isEmpty(); attempt++) {
            Failure failure = apply(connection, direct, applied);
            if (failure == null) {
                break;
            }
            if (failure.record() == null || attempt == TAKE_OUTS) {
                LOG.debugf("Backfill job %d: a page of %d records goes through the inbox (%s)", job.id(), direct.size(),
                        failure.cause().getMessage());
                takenOut.addAll(direct);
                direct = List.of();
            } else {
                direct.removeIf(record -> record == failure.record());
                takenOut.add(failure.record());
            }
        }
        int stored = inboxPages.enqueue(connection, takenOut, applied) + inboxPages.enqueue(connection, passing, queued);
        long appliedEvents = (long) direct.size() * applied.size();
        return new BackfillJobRepository.Page(Checkpoints.of(RunPages.lastKey(records)), records.size(),
                records.size() - passing.size(), stored + appliedEvents, appliedEvents, Map.of());
    }

    /**
     * Whether a target takes the page's records in the page's transaction: its apply route is
     * applied in batches, and its type writes where the page's rollback reaches (a table). An
     * API's writes are outside it: an attempt rolled back would have written them all the same.
     */
    private boolean appliedWithPages(String target) {
        return types.can(target, Ability.TRANSACTIONAL_WRITE) && batches.batched(RunPages.endpoint(job, target));
    }

    @Override
    public void ended(boolean committed) {
        if (pending != null) {
            pending.ended(committed);
            pending = null;
        }
    }

    @Override
    public void committed(BackfillJobRepository.Page page) {
        inboxPages.committed(page);
        statistics.grew((int) page.applied());
    }

    /** Why a page's batch failed: the record a stage stopped, or null for the batch as a whole. */
    private record Failure(SourceRecord record, Exception cause) {
    }

    /**
     * Applies {@code records} to each of {@code into} in one batch in the page's transaction; null
     * when every record was applied (the batch's rows sent, awaiting the page's commit), else the
     * failure, the batch rolled back to where it began.
     */
    private Failure apply(Connection connection, List<SourceRecord> records, List<String> into) throws Exception {
        List<ApplyBatch.Source> sources = records.stream()
                .map(record -> new ApplyBatch.Source(job.entity(), job.source(), String.valueOf(record.key()))).toList();
        ApplyBatch batch = ApplyBatch.within(connection, sources, () -> false);
        Instant read = clock.instant();
        try {
            // each record written to JSON once for all the targets (each parses its own copy: the stages change it)
            List<String> payloads = new ArrayList<>(records.size());
            for (SourceRecord record : records) {
                payloads.add(inboxPages.payload(record));
            }
            for (String target : into) {
                Map<Exchange, SourceRecord> events = new IdentityHashMap<>();
                Exchange exchange = batchExchange(batch, target, records, payloads, events, read);
                Exchange done = producer.send(RunPages.endpoint(job, target), exchange);
                if (done.getException() != null) {
                    Exception cause = InboxFailureProcessor.unwrapped(done.getException());
                    batches.failed(RunPages.endpoint(job, target), cause);
                    batch.abort(cause);
                    Exchange failed = done.getProperty(ExchangeContract.FAILED_EVENT, Exchange.class);
                    return new Failure(failed != null && decided(cause) ? events.get(failed) : null, cause);
                }
            }
            batch.commit(); // the page's rows sent, the targets' databases committed: the page commits next
            pending = batch;
            return null;
        } catch (Exception e) {
            batch.abort(e);
            return new Failure(null, e);
        }
    }

    private Exchange batchExchange(ApplyBatch batch, String target, List<SourceRecord> records, List<String> payloads,
            Map<Exchange, SourceRecord> events, Instant read) throws Exception {
        String endpoint = RunPages.endpoint(job, target);
        List<Exchange> exchanges = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            SourceRecord record = records.get(i);
            String payload = payloads.get(i);
            Exchange event = new DefaultExchange(camel);
            event.setProperty(ExchangeContract.APPLY_BATCH, batch);
            event.setProperty(ExchangeContract.INBOX_ATTEMPTS, 1);
            event.setProperty(ExchangeContract.SOURCE_ROUTE, job.routeId());
            event.setProperty(ExchangeContract.ENTITY, job.entity());
            event.setProperty(ExchangeContract.SOURCE_SYSTEM, job.source());
            event.setProperty(ExchangeContract.EVENT_ID, RunPages.eventId(job, target, record));
            event.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, payload);
            event.setProperty(ExchangeContract.RECORD_KEY, String.valueOf(record.key()));
            event.setProperty(ExchangeContract.APPLY_ENDPOINT, endpoint);
            event.setProperty(ExchangeContract.ORIGIN, ExchangeContract.ORIGIN_BACKFILL);
            event.setProperty(ExchangeContract.RUN_ID, job.routeId());
            event.setProperty(ExchangeContract.RECEIVED_AT, read);
            // as the inbox gives it: the record read back from its JSON, so that every value has the type a webhook's would
            event.getMessage().setBody(json.readValue(payload, OBJECT));
            exchanges.add(event);
            events.put(event, record);
        }
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeContract.APPLY_BATCH, batch);
        exchange.setProperty(ExchangeContract.APPLY_ENDPOINT, endpoint);
        exchange.setProperty(ExchangeContract.APPLY_EVENTS, exchanges);
        return exchange;
    }

    /**
     * Whether a stage's failure is its decision about the record (held, refused, waiting) rather
     * than a failure of a target or the store, which says nothing of the record.
     */
    private static boolean decided(Exception cause) {
        return PermanentFailure.isPermanent(cause) || cause instanceof RecordHeldException
                || cause instanceof AmbiguousMatchException || cause instanceof ConflictHeldException
                || cause instanceof RuleHeldException || cause instanceof ParentNotLinkedException
                || cause instanceof SubjectErasedException || cause instanceof MappingPausedException;
    }
}
