package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.RecordPullers;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.inbox.InboxEnqueuer;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.VersionHasher;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.Ability;
import io.syncline.model.EntityDefinition;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.review.ReviewQueueRepository;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.StateStoreDriver;
import io.syncline.store.StoreTimeouts;
import io.syncline.sync.ParentsByExternalId;
import io.syncline.tombstone.ErasedSubjectGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciliation in the application: a run of a job of the model in force, on demand (admin
 * API, console, a route: {@code bean: {ref: ReconciliationService, method: "run('contacts-nightly', false)"}}),
 * goes through the job's {@code reconcile-<job>} route as a scheduled fire does; the route's
 * stages are {@link ReconciliationStages}.
 */
@ApplicationScoped
@Named("ReconciliationService")
@RegisterForReflection
public class ReconciliationService {

    private final SyncModelRegistry registry;
    private final Reconciler reconciler;
    private final RunRepository runs;
    private final DifferenceRepository differences;
    private final ReconciliationMetrics metrics;
    private final ReconciliationNotifier notifier;
    /** The replica's Quartz instance: its runs are known by it, and found abandoned if it leaves the cluster. */
    private final Scheduler scheduler;
    private final boolean embeddedStore;
    private final ProducerTemplate routes;

    public ReconciliationService(ProducerTemplate routes, SyncModelRegistry registry, AgroalDataSource store, SystemTypes types,
            InboxEnqueuer inbox, ReviewQueueRepository reviewQueue, ErasedSubjectGuard erased,
            ObjectMapper mapper,
            MeterRegistry meterRegistry, SynclineConfig config, Scheduler scheduler,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> storeUrl,
            StoreTimeouts timeouts, LostRecordLinks lost, DeadLetterRepository deadLetters, IdMapRepository idMap,
            RecordStateRepository states, SensitiveValues sensitive) {
        this.routes = routes;
        this.registry = registry;
        this.scheduler = scheduler;
        this.embeddedStore = storeUrl.map(StateStoreDriver::isEmbedded).orElse(false);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        RecordPullers pullers = (name, system) -> types.typeOf(name, system).puller();
        // An auto-fix that would recreate an erased person is refused before it reaches the inbox.
        ReconciliationResponder.FixQueue fixes = (entity, system, endpoint, routeId, key, eventId, payload) -> {
            erased.admitFix(entity, system, key, payload, routeId);
            return inbox.enqueueSynthetic(entity, system, endpoint, routeId, key, eventId, payload);
        };
        // A fix copies the master's whole record, fetched by its id where the pairing key is that id.
        ReconciliationResponder.MasterRecords masters =
                (entity, system, key) -> types.can(system, Ability.FETCH) && keyIsRecordId(registry.current().model(), entity, system)
                        ? types.of(system).fetch(entity, system, key) : null;
        // staging by COPY, ANALYZE and the diff's join over both sides may rightly run for minutes
        this.reconciler = new Reconciler(registry::current, pullers, types::database, timeouts.forLongWork(store), fixes, masters, lost,
                (entity, system, key, values, reason, context) -> reviewQueue.add(new ReviewQueueRepository.Item(
                        ReviewQueueRepository.Kind.reconciliation,
                        new CanonicalRecord(entity, system, key, values, VersionHasher.hash(values), null), reason, context,
                        null, null, "reconciliation")),
                // a record held for review or dead-lettered is a known difference, not drift
                (entity, a, b) -> {
                    Map<String, String> explained = new HashMap<>(deadLetters.rejectedRecords(entity, a, b));
                    explained.putAll(reviewQueue.heldRecords(entity, a, b));
                    return explained;
                },
                new ParentIds() {

                    @Override
                    public Map<String, String> canonicalIds(String entity, String system, Collection<String> systemIds) {
                        return idMap.canonicalIds(entity, system, systemIds);
                    }

                    @Override
                    public Map<String, String> systemIds(String entity, Collection<String> canonicalIds, String system) {
                        return idMap.systemIds(entity, canonicalIds, system);
                    }

                    @Override
                    public Map<String, String> canonicalIdsByExternalId(String entity, String system, String path,
                            Collection<String> values) {
                        return ParentsByExternalId.canonicalIds(registry.current().transformer(), states, entity, system, path, values);
                    }
                },
                mapper, Clock.systemUTC(), config.reconciliation().longestBudgetWait(), sealing(sensitive));
        this.runs = new RunRepository(store);
        this.differences = new DifferenceRepository(store, mapper, sealing(sensitive));
        this.metrics = new ReconciliationMetrics(meterRegistry);
        this.notifier = new ReconciliationNotifier(config.reconciliation().notificationUrl(), http, mapper);
    }

    /** Whether the entity's key is, in {@code system}, the mapping's record id (its {@code key}), untransformed. */
    static boolean keyIsRecordId(SyncModel model, String entity, String system) {
        EntityDefinition definition = model.entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        return mapping != null && mapping.key() != null
                && mapping.fields().stream().anyMatch(field -> field.field().equals(definition.key()) && mapping.key().equals(field.path())
                        && (field.transforms() == null || field.transforms().isEmpty()));
    }

    /**
     * Runs the job through its route and answers the finished run: ok, untrustworthy or failed.
     *
     * @throws UnknownJobException    no such job in the model in force
     * @throws EmbeddedStoreException the state store is the embedded H2 database
     */
    public ReconciliationRun run(String job, RunTrigger trigger) throws Exception {
        requireStore();
        ReconciliationJob.of(job, registry.current().model());
        try {
            return routes.requestBody(ReconciliationStages.endpoint(job), trigger, ReconciliationRun.class);
        } catch (CamelExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** @throws EmbeddedStoreException the state store is the embedded H2 database */
    void requireStore() {
        if (embeddedStore) {
            throw new EmbeddedStoreException();
        }
    }

    Reconciler reconciler() {
        return reconciler;
    }

    ReconciliationMetrics metrics() {
        return metrics;
    }

    ReconciliationNotifier notifier() {
        return notifier;
    }

    String instanceId() throws SchedulerException {
        return scheduler.getSchedulerInstanceId();
    }

    /** On demand, e.g. from a route: {@code run('contacts-nightly', true)} is a dry run. */
    public ReconciliationRun run(String job, boolean dryRun) throws Exception {
        return run(job, dryRun, null);
    }

    /** On demand by a person (admin API, console), recorded with the run. */
    public ReconciliationRun run(String job, boolean dryRun, String requestedBy) throws Exception {
        return run(job, RunTrigger.manual(dryRun, instanceId(), requestedBy));
    }

    /** Drops what keeps the job's maintained checksums; per side, whether anything was installed. */
    public Map<String, Boolean> dropMaintainedChecksums(String job) throws SQLException {
        return reconciler.dropMaintainedChecksums(job);
    }

    public boolean sendWeeklySummary(Instant now) throws SQLException {
        return notifier.weeklySummary(runs.finishedSince(now.minus(Duration.ofDays(7))));
    }

    public Set<String> jobs() {
        return registry.current().model().reconciliations().keySet();
    }

    public ReconciliationJob job(String name) {
        return ReconciliationJob.of(name, registry.current().model());
    }

    public RunRepository runs() {
        return runs;
    }

    public List<StoredDifference> differences(Long runId, String job, String entity, String bucket, int limit) throws SQLException {
        return differences.list(runId, job, entity, bucket, limit);
    }

    /** A stored difference keeps a sensitive field's digests (docs/privacy.md, "Sensitive fields"). */
    private static DifferenceRepository.Sealing sealing(SensitiveValues sensitive) {
        return new DifferenceRepository.Sealing() {

            @Override
            public boolean any(String entity) {
                return !sensitive.fields(entity).isEmpty();
            }

            @Override
            public boolean sensitive(String entity, String field) {
                return sensitive.isSensitive(entity, field);
            }

            @Override
            public Object digest(Object value) {
                return sensitive.digest(value);
            }
        };
    }
}
