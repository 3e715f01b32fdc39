package io.syncline.backfill;

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
 * A run's pages: each record passing the filter becomes one inbox event per target, for the
 * target's apply route ({@code direct:<entity>-<source>-to-<target>}), as if the source's webhook
 * had sent it. The inbox workers then apply them like any other event (field contracts, matching
 * and the ID map, idempotency, conflicts, audit, retries and dead letters), set-based in batches
 * where the target's type writes batches. An event's id is the job's, the target's and the
 * record's key, so a page read again after a takeover stores nothing twice.
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
        List<InboxEnqueuer.NewEvent> events = new ArrayList<>(records.size() * targets.size());
        // a backfill of several entities names the entity too: two entities may share a key
        String prefix = job.entities().size() > 1 ? job.routeId() + ":" + job.entity() : job.routeId();
        long filtered = 0;
        Object last = null;
        for (SourceRecord record : records) {
            last = record.key();
            if (!record.passes(definition.filter(), registry.current().transformer(), job.entity(), job.source())) {
                filtered++;
                continue;
            }
            String payload = json.writeValueAsString(record.values());
            for (String target : targets) {
                events.add(new InboxEnqueuer.NewEvent(job.routeId(), endpoint(job, target), job.entity(), job.source(),
                        String.valueOf(record.key()), prefix + ":" + target + ":" + record.key(), payload));
            }
        }
        int stored = inbox.enqueueAll(connection, events, ExchangeContract.ORIGIN_BACKFILL);
        return new BackfillJobRepository.Page(Checkpoints.of(last), records.size(), filtered, stored, Map.of());
    }

    @Override
    public void committed(BackfillJobRepository.Page page) {
        inbox.arrived((int) page.eventsStored());
    }

    /** The apply route of the entity's records from the job's source into {@code target} ({@code ModelRoutes}). */
    static String endpoint(BackfillJob job, String target) {
        return "direct:" + job.entity() + "-" + job.source() + "-to-" + target;
    }
}
