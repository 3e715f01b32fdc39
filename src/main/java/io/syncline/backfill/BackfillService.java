package io.syncline.backfill;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.inbox.BackfillEvents;
import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.CanonicalValues;
import io.syncline.model.BackfillDefinition;
import io.syncline.model.BackfillOrder;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.store.StateStoreDriver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backfills for the admin API: the model's backfills, a dry run or a run started, paused,
 * resumed or cancelled, and a job's progress. The jobs themselves run on {@link BackfillRunner}.
 */
@ApplicationScoped
public class BackfillService {

    @Inject
    SyncModelRegistry registry;
    @Inject
    BackfillJobRepository jobs;
    @Inject
    BackfillEvents runEvents;
    @Inject
    SystemTypes types;
    @Inject
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> storeUrl;

    /**
     * A backfill of the model, its targets resolved: {@code entities} in the order it copies them,
     * parents first ({@code entity} the first), {@code targets} every target of any of them.
     */
    @RegisterForReflection
    public record Declared(String name, String entity, List<String> entities, String source, List<String> targets,
            Map<String, Object> filter, int batchSize, Double rateLimit, double maxUpdateShare, double tolerance) {
    }

    public List<Declared> declared() {
        SyncModel model = registry.current().model();
        List<Declared> declared = new ArrayList<>();
        model.backfills().forEach((name, backfill) -> declared.add(declared(name, backfill, model)));
        return declared;
    }

    private static Declared declared(String name, BackfillDefinition backfill, SyncModel model) {
        List<String> entities = BackfillOrder.of(backfill.entityNames(), model.entities()).orElseThrow();
        Set<String> targets = new LinkedHashSet<>();
        entities.forEach(entity -> targets.addAll(backfill.targetsIn(model.entities().get(entity))));
        return new Declared(name, entities.get(0), entities, backfill.source(), List.copyOf(targets), backfill.filter(), backfill.batchSizeOrDefault(),
                backfill.rateLimit(), backfill.maxUpdateShareOrDefault(),
                backfill.toleranceOrDefault());
    }

    /** Queues a dry run of the backfill: what it would do, reported, nothing written. */
    public BackfillJob startDryRun(String name, String requestedBy) throws SQLException {
        Declared backfill = backfill(name);
        for (String entityName : backfill.entities()) {
            EntityDefinition entity = registry.current().model().entities().get(entityName);
            for (String target : backfill.targets()) {
                SystemMapping mapping = entity.mappings().get(target);
                if (mapping != null && mapping.route() != null) {
                    throw new BackfillRefusedException("route_of_its_own", "the mapping of " + entityName + " in " + target
                            + " names a route of its own (" + mapping.route() + "), whose writes a dry run cannot hold back");
                }
            }
        }
        return create(backfill, BackfillJob.Kind.dry_run, null, false, requestedBy);
    }

    /**
     * Queues a run from a completed dry run of the same backfill, once nothing refuses it: an
     * update of more than the backfill's {@code maxUpdateShare} of a target's records needs
     * {@code confirm}, and the source and the targets must not have changed by more than its
     * {@code tolerance} since the dry run.
     */
    public BackfillJob startRun(String name, long dryRunId, boolean confirm, String requestedBy) throws Exception {
        Declared backfill = backfill(name);
        BackfillJob dryRun = jobs.find(dryRunId).filter(job -> job.kind() == BackfillJob.Kind.dry_run)
                .orElseThrow(() -> new BackfillRefusedException("no_dry_run", "job " + dryRunId + " is not a dry run"));
        if (!dryRun.backfill().equals(name) || !dryRun.targets().equals(backfill.targets())) {
            throw new BackfillRefusedException("other_dry_run", "dry run " + dryRunId + " is of backfill " + dryRun.backfill()
                    + " into " + dryRun.targets() + ", not of " + name + " into " + backfill.targets());
        }
        if (dryRun.status() != BackfillJob.Status.completed) {
            throw new BackfillRefusedException("dry_run_not_completed", "dry run " + dryRunId + " is " + dryRun.status()
                    + ": a run starts from a completed dry run");
        }
        if (!confirm) {
            requireConfirmation(backfill, dryRun);
        }
        requireUnchanged(backfill, dryRun);
        return create(backfill, BackfillJob.Kind.run, dryRunId, confirm, requestedBy);
    }

    private void requireConfirmation(Declared backfill, BackfillJob dryRun) {
        if (dryRun.entityCounts().isEmpty()) {
            requireConfirmation(backfill, backfill.targets(), dryRun.outcomes(), dryRun.targetRecords());
        }
        dryRun.entityCounts().forEach((entity, counts) -> requireConfirmation(backfill, List.copyOf(counts.outcomes().keySet()),
                counts.outcomes(), counts.targetRecords()));
    }

    private void requireConfirmation(Declared backfill, List<String> targets, Map<String, Map<String, Long>> outcomes,
            Map<String, Long> targetRecords) {
        for (String target : targets) {
            long updates = outcomes.getOrDefault(target, Map.of()).getOrDefault("update", 0L);
            Long records = targetRecords == null ? null : targetRecords.get(target);
            if (updates > 0 && (records == null || updates > backfill.maxUpdateShare() * records)) {
                throw new BackfillRefusedException("confirmation_required", "the run would update " + updates + " records of "
                        + target + (records == null ? " (its records cannot be counted)" : " of its " + records + " ("
                                + percent(updates, records) + "), above maxUpdateShare " + percent(backfill.maxUpdateShare())
                                + ": look at the dry run's report and repeat with confirm=true"));
            }
        }
    }

    /** How much the source and the targets changed since the dry run, measured by reading them: refused beyond the tolerance. */
    private void requireUnchanged(Declared backfill, BackfillJob dryRun) throws Exception {
        if (dryRun.entityCounts().isEmpty()) {
            requireUnchanged(backfill, dryRun, backfill.entity(), new EntityCounts(dryRun.recordsRead(), dryRun.outcomes(),
                    dryRun.targetRecords()));
        }
        for (Map.Entry<String, EntityCounts> counted : dryRun.entityCounts().entrySet()) {
            requireUnchanged(backfill, dryRun, counted.getKey(), counted.getValue());
        }
    }

    /** As {@link #requireUnchanged(Declared, BackfillJob)}, of one entity of the dry run. */
    private void requireUnchanged(Declared backfill, BackfillJob dryRun, String entityName, EntityCounts counts) throws Exception {
        SyncModel model = registry.current().model();
        EntityDefinition entity = model.entities().get(entityName);
        SystemMapping source = entity.mappings().get(backfill.source());
        String changedAtPath = entity.modifiedAt() == null ? null : source.fields().stream()
                .filter(field -> entity.modifiedAt().equals(field.field())).map(FieldMapping::path).findFirst().orElse(null);
        AtomicLong records = new AtomicLong();
        AtomicLong modified = new AtomicLong();
        Instant since = dryRun.startedAt();
        types.of(backfill.source()).puller().pull(new PullRequest(entityName, backfill.source(),
                model.systems().get(backfill.source()), source, 1000), page -> {
                    records.addAndGet(page.size());
                    if (changedAtPath != null) {
                        page.forEach(row -> {
                            Instant at = changedAt(row, changedAtPath);
                            if (at != null && at.isAfter(since)) {
                                modified.incrementAndGet();
                            }
                        });
                    }
                });
        long sourceChanged = Math.abs(records.get() - counts.read()) + modified.get();
        if (sourceChanged > backfill.tolerance() * Math.max(1, counts.read())) {
            throw new BackfillRefusedException("changed_since_dry_run", backfill.source() + " changed since dry run " + dryRun.id()
                    + ": " + entityName + ", " + sourceChanged + " of its " + counts.read() + " records (" + percent(sourceChanged,
                            counts.read())
                    + ", tolerance " + percent(backfill.tolerance()) + "): run a new dry run");
        }
        if (counts.targetRecords() == null) {
            return;
        }
        for (Map.Entry<String, Long> counted : counts.targetRecords().entrySet()) {
            AtomicLong now = new AtomicLong();
            String target = counted.getKey();
            types.of(target).puller().pull(new PullRequest(entityName, target, model.systems().get(target),
                    entity.mappings().get(target), 1000), page -> now.addAndGet(page.size()));
            long changed = Math.abs(now.get() - counted.getValue());
            if (changed > backfill.tolerance() * Math.max(1, counted.getValue())) {
                throw new BackfillRefusedException("changed_since_dry_run", target + " changed since dry run " + dryRun.id()
                        + ": it holds " + now.get() + " records of " + entityName + ", " + counted.getValue() + " then (" + percent(changed,
                                counted.getValue())
                        + ", tolerance " + percent(backfill.tolerance()) + "): run a new dry run");
            }
        }
    }

    private static Instant changedAt(Map<String, Object> row, String path) {
        Object value = row.containsKey(path) ? row.get(path) : row.get(path.toLowerCase(Locale.ROOT));
        try {
            return value == null ? null : CanonicalValues.instant(CanonicalInstants.canonical(value));
        } catch (RuntimeException notATime) {
            return null;
        }
    }

    private BackfillJob create(Declared backfill, BackfillJob.Kind kind, Long dryRunId, boolean confirmed, String requestedBy)
            throws SQLException {
        if (storeUrl.map(StateStoreDriver::isEmbedded).orElse(false)) {
            throw new BackfillRefusedException("embedded_store", "backfills need a PostgreSQL state store, and the state store is"
                    + " the embedded H2 database: set QUARKUS_DATASOURCE_JDBC_URL to jdbc:postgresql://host:5432/database");
        }
        long id = jobs.create(backfill.name(), backfill.entities(), backfill.source(), backfill.targets(), kind, dryRunId, confirmed,
                requestedBy);
        return jobs.find(id).orElseThrow();
    }

    /** Stops a queued or running job after its current page; {@link #resume} goes on from there. */
    public BackfillJob pause(long id) throws SQLException {
        return transition(id, List.of(BackfillJob.Status.queued, BackfillJob.Status.running), BackfillJob.Status.paused);
    }

    /** Queues a paused or failed job again: a runner goes on from its checkpoint. */
    public BackfillJob resume(long id) throws SQLException {
        return transition(id, List.of(BackfillJob.Status.paused, BackfillJob.Status.failed), BackfillJob.Status.queued);
    }

    /** Ends a job for good; a run's events not yet begun are withdrawn from the inbox. */
    public BackfillJob cancel(long id) throws SQLException {
        BackfillJob job = transition(id, List.of(BackfillJob.Status.queued, BackfillJob.Status.running, BackfillJob.Status.paused,
                BackfillJob.Status.failed), BackfillJob.Status.cancelled);
        if (job.kind() == BackfillJob.Kind.run) {
            runEvents.withdraw(job.routeId(), "backfill job " + id + " was cancelled");
        }
        return job;
    }

    private BackfillJob transition(long id, List<BackfillJob.Status> from, BackfillJob.Status to) throws SQLException {
        BackfillJob job = job(id);
        if (!jobs.transition(id, from, to, Instant.now())) {
            throw new BackfillRefusedException("not_" + (to == BackfillJob.Status.queued ? "resumable" : to.name() + "_now"),
                    "job " + id + " is " + job(id).status() + ": only a job that is " + from + " can be " + to);
        }
        return jobs.find(job.id()).orElseThrow();
    }

    public BackfillJob job(long id) throws SQLException {
        return jobs.find(id).orElseThrow(() -> new UnknownBackfillException("no backfill job " + id));
    }

    public List<BackfillJob> jobs(String backfill, int limit) throws SQLException {
        return jobs.list(backfill, limit);
    }

    public List<BackfillItem> report(long id, String outcome, long afterSeq, int limit) throws SQLException {
        BackfillJob job = job(id);
        if (job.kind() != BackfillJob.Kind.dry_run) {
            throw new BackfillRefusedException("not_a_dry_run", "job " + id + " is a run: its outcomes are in the audit trail");
        }
        return jobs.items(id, outcome, afterSeq, limit);
    }

    /**
     * A job's progress: what it read and stored; for a run, its events by inbox status and by
     * what the audit says became of them; the rate since it started and the time left.
     */
    @RegisterForReflection
    public record Progress(BackfillJob job, Map<String, Long> events, Map<String, Long> applied, Long recordsTotal,
            Double recordsPerSecond, Long secondsLeft) {
    }

    public Progress progress(long id) throws SQLException {
        BackfillJob job = job(id);
        Map<String, Long> events = new LinkedHashMap<>();
        Map<String, Long> applied = new LinkedHashMap<>();
        if (job.kind() == BackfillJob.Kind.run) {
            events = runEvents.statuses(job.routeId());
            applied = runEvents.outcomes(job.routeId());
        }
        Long total = job.dryRunId() == null ? null : jobs.find(job.dryRunId()).map(BackfillJob::recordsRead).orElse(null);
        Double rate = null;
        Long left = null;
        if (job.startedAt() != null) {
            Instant end = job.finishedAt() != null ? job.finishedAt() : job.readDoneAt() != null ? job.readDoneAt() : Instant.now();
            double seconds = Math.max(0.001, Duration.between(job.startedAt(), end).toMillis() / 1000.0);
            rate = Math.round(job.recordsRead() / seconds * 10) / 10.0;
            if (total != null && rate > 0 && !job.status().ended() && job.readDoneAt() == null) {
                left = Math.round(Math.max(0, total - job.recordsRead()) / rate);
            }
        }
        return new Progress(job, events, applied, total, rate, left);
    }

    private Declared backfill(String name) {
        SyncModel model = registry.current().model();
        BackfillDefinition backfill = model.backfills().get(name);
        if (backfill == null) {
            throw new UnknownBackfillException("no backfill '" + name + "' in the model: it declares " + model.backfills().keySet());
        }
        return declared(name, backfill, model);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String percent(long part, long whole) {
        return percent(whole == 0 ? 1.0 : (double) part / whole);
    }
}
