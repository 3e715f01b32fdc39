package io.syncline.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.model.BackfillDefinition;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's pages put into the inbox: each record passing the filter becomes one inbox event per
 * target, for the target's apply route ({@code direct:<entity>-<source>-to-<target>}), as if the
 * source's webhook had sent it. The inbox workers then apply them like any other event (field
 * contracts, matching and the ID map, idempotency, conflicts, audit, retries and dead letters),
 * set-based in batches where the target's type writes batches. An event's id is the job's, the
 * target's and the record's key, so a page read again after a takeover stores nothing twice.
 *
 * <p>Pages are applied in their own transaction instead where the targets allow
 * ({@link AppliedPages}); the records such a page cannot decide come here.
 */
final class RunPages implements BackfillRunner.PageStore {

    private final BackfillJob job;
    private final BackfillDefinition definition;
    private final List<String> targets;
    private final SyncModelRegistry registry;
    private final InboxEnqueuer inbox;
    private final ObjectMapper json;

    RunPages(BackfillJob job, BackfillDefinition definition, List<String> targets, SyncModelRegistry registry,
            InboxEnqueuer inbox, ObjectMapper json) {
        this.job = job;
        this.definition = definition;
        this.targets = targets;
        this.registry = registry;
        this.inbox = inbox;
        this.json = json;
    }

    @Override
    public BackfillJobRepository.Page store(Connection connection, List<SourceRecord> records, long firstSeq) throws Exception {
        List<SourceRecord> passing = passing(records);
        int stored = enqueue(connection, passing, targets);
        return new BackfillJobRepository.Page(Checkpoints.of(lastKey(records)), records.size(), records.size() - passing.size(),
                stored, 0, Map.of());
    }

    @Override
    public void committed(BackfillJobRepository.Page page) {
        inbox.arrived((int) (page.eventsStored() - page.applied()));
    }

    /** The page's records that pass the backfill's filter. */
    List<SourceRecord> passing(List<SourceRecord> records) {
        List<SourceRecord> passing = new ArrayList<>(records.size());
        for (SourceRecord record : records) {
            if (record.passes(definition.filter(), registry.current().transformer(), job.entity(), job.source())) {
                passing.add(record);
            }
        }
        return passing;
    }

    /** Puts each record's event for each of {@code into} in the inbox, in the page's transaction: how many were new. */
    int enqueue(Connection connection, List<SourceRecord> records, List<String> into) throws Exception {
        List<InboxEnqueuer.NewEvent> events = new ArrayList<>(records.size() * into.size());
        for (SourceRecord record : records) {
            String payload = payload(record);
            for (String target : into) {
                events.add(new InboxEnqueuer.NewEvent(job.routeId(), endpoint(job, target), job.entity(), job.source(),
                        String.valueOf(record.key()), eventId(job, target, record), payload));
            }
        }
        return events.isEmpty() ? 0 : inbox.enqueueAll(connection, events, ExchangeContract.ORIGIN_BACKFILL);
    }

    /** The record as its event carries it: JSON, as a webhook's payload. */
    String payload(SourceRecord record) throws JsonProcessingException {
        return json.writeValueAsString(record.values());
    }

    static Object lastKey(List<SourceRecord> records) {
        return records.isEmpty() ? null : records.get(records.size() - 1).key();
    }

    /**
     * The id of a record's event for a target: the job's, the target's and the record's key (a
     * backfill of several entities names the entity too: two entities may share a key). A page
     * read again stores nothing twice under it, and applies nothing twice (the idempotent consumer keys it).
     */
    static String eventId(BackfillJob job, String target, SourceRecord record) {
        String prefix = job.entities().size() > 1 ? job.routeId() + ":" + job.entity() : job.routeId();
        return prefix + ":" + target + ":" + record.key();
    }

    /** The apply route of the entity's records from the job's source into {@code target} ({@code ModelRoutes}). */
    static String endpoint(BackfillJob job, String target) {
        return "direct:" + job.entity() + "-" + job.source() + "-to-" + target;
    }
}
