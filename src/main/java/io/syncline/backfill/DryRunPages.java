package io.syncline.backfill;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.exchange.ExchangeContract;
import io.syncline.model.Ability;
import io.syncline.model.BackfillDefinition;
import io.syncline.model.SyncModel;
import io.syncline.store.HotTableStatistics;
import io.syncline.sync.PlannedParents;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dry run's pages: each record passing the filter goes down each target's apply route as a dry
 * run ({@link ExchangeContract#DRY_RUN}), where every stage decides as it would (transformer,
 * privacy guard, ID map, idempotent consumer, match, conflict resolution) and the write stage
 * only says what it would write; nothing is written to a target and the unit is rolled back. What
 * the route decided, or the failure that stopped it, becomes the record's line of the report.
 * A record new to the ID map keeps the canonical id the route gave it (the run finds the same).
 */
@ApplicationScoped
public class DryRunPages {

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final SyncModelRegistry registry;
    private final SystemTypes types;
    private final BackfillJobRepository jobs;
    private final HotTableStatistics statistics;
    private final SideBySide threads;

    public DryRunPages(ProducerTemplate producer, CamelContext camel, SyncModelRegistry registry, SystemTypes types,
            BackfillJobRepository jobs, HotTableStatistics statistics, SynclineConfig config) {
        this.producer = producer;
        this.camel = camel;
        this.registry = registry;
        this.types = types;
        this.jobs = jobs;
        this.statistics = statistics;
        this.threads = new SideBySide(config.backfill().dryRunThreads(), "backfill-dry-run");
    }

    @PreDestroy
    void stop() {
        threads.close();
    }

    /** The pages of the entity the job is on, written into {@code targets}. */
    BackfillRunner.PageStore forJob(BackfillJob job, BackfillDefinition definition, List<String> targets) {
        Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
        job.outcomes().forEach((target, counts) -> outcomes.put(target, new LinkedHashMap<>(counts)));
        PlannedParents planned = (entity, target, sourceId) -> jobs.reported(job.id(), entity, target, sourceId);
        return (connection, records, firstSeq) -> page(connection, job, definition, targets, planned, records, firstSeq, outcomes);
    }

    private BackfillJobRepository.Page page(Connection connection, BackfillJob job, BackfillDefinition definition,
            List<String> targets, PlannedParents planned, List<SourceRecord> records, long firstSeq,
            Map<String, Map<String, Long>> outcomes)
            throws Exception {
        // Each record is decided on its own (its own unit, rolled back): a page's records go down
        // their routes side by side, each record's targets one after another.
        List<Numbered> passing = new ArrayList<>(records.size());
        long seq = firstSeq;
        for (SourceRecord record : records) {
            if (record.passes(definition.filter(), registry.current().transformer(), job.entity(), job.source())) {
                passing.add(new Numbered(record, seq));
            }
            seq++;
        }
        long filtered = records.size() - passing.size();
        List<BackfillItem> items = threads.each(passing,
                numbered -> decideAll(job, targets, planned, numbered.record(), numbered.seq()));
        for (BackfillItem item : items) {
            Map<String, Long> counts = outcomes.computeIfAbsent(item.target(), t -> new LinkedHashMap<>());
            counts.merge(item.outcome(), 1L, Long::sum);
            if (item.unresolved() > 0) {
                counts.merge("unresolved", (long) item.unresolved(), Long::sum);
            }
        }
        jobs.report(connection, job.id(), job.entity(), items);
        statistics.grew(passing.size()); // each decided record linked its source in the ID map
        Object last = records.isEmpty() ? null : records.get(records.size() - 1).key();
        return new BackfillJobRepository.Page(Checkpoints.of(last), records.size(), filtered, 0, 0,
                copy(outcomes));
    }

    /** A record of the page, with its place in the job's source order. */
    private record Numbered(SourceRecord record, long seq) {
    }

    private List<BackfillItem> decideAll(BackfillJob job, List<String> targets, PlannedParents planned, SourceRecord record,
            long seq) throws Exception {
        List<BackfillItem> items = new ArrayList<>(targets.size());
        for (String target : targets) {
            items.add(decide(job, target, planned, record, seq));
        }
        return items;
    }

    private BackfillItem decide(BackfillJob job, String target, PlannedParents planned, SourceRecord record, long seq)
            throws Exception {
        String key = String.valueOf(record.key());
        Exchange exchange = ExchangeBuilder.anExchange(camel).withBody(new LinkedHashMap<>(record.values()))
                .withProperty(ExchangeContract.DRY_RUN, true)
                .withProperty(ExchangeContract.EVENT_ID, "backfill-dry-run:" + job.id() + ":" + target + ":" + key)
                .withProperty(ExchangeContract.ORIGIN, ExchangeContract.ORIGIN_BACKFILL)
                .withProperty(ExchangeContract.RUN_ID, job.routeId())
                .withProperty(ExchangeContract.SOURCE_ROUTE, job.routeId())
                .withProperty(ExchangeContract.PLANNED_PARENTS, planned)
                .build();
        Exchange done = producer.send(RunPages.endpoint(job, target), exchange);
        DryRunDecision decided = DryRunDecision.of(done); // a target's or the store's failure fails the job, which may be resumed
        return new BackfillItem(target, key, seq, decided.outcome(), decided.targetId(), decided.matchRule(),
                decided.changes(), decided.reason(), job.entity(), decided.unresolved());
    }

    /** Each target's records of the job's entity now, where its type reads pages: what the share of updates is measured against. */
    Map<String, Long> countTargets(BackfillJob job, List<String> targets) throws Exception {
        SyncModel model = registry.current().model();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String target : targets) {
            if (types.can(target, Ability.READ_PAGES)) {
                AtomicLong records = new AtomicLong();
                types.of(target).puller().pull(new PullRequest(job.entity(), target, model.systems().get(target),
                        model.entities().get(job.entity()).mappings().get(target), 1000), page -> records.addAndGet(page.size()));
                counts.put(target, records.get());
            }
        }
        return counts;
    }

    private static Map<String, Map<String, Long>> copy(Map<String, Map<String, Long>> outcomes) {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        outcomes.forEach((target, counts) -> copy.put(target, new LinkedHashMap<>(counts)));
        return copy;
    }
}
