package io.syncline.plan;

import io.syncline.backfill.DryRunDecision;
import io.syncline.backfill.SideBySide;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.SystemTypes;
import io.syncline.model.Ability;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ModelValidationException;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * Makes sync plans (docs/plan.md): the model to evaluate (a candidate compiled from its files
 * beside the one running, or the running one), the records of each entity read from its source
 * ({@link SourcePull}), each decided in each target by {@link PlanEvaluator}, and the counts and
 * lines of what would change. One plan at a time per replica: a plan reads sources and targets as
 * a backfill's dry run does, and two would only share the same rate limits.
 */
@ApplicationScoped
public class PlanService {

    private static final Logger LOG = Logger.getLogger(PlanService.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final SyncModelRegistry registry;
    private final SystemTypes types;
    private final PlanEvaluator evaluator;
    private final PlanRoutes routes;
    private final SideBySide threads;
    private final Semaphore one = new Semaphore(1);
    private final Clock clock = Clock.systemUTC();

    public PlanService(SyncModelRegistry registry, SystemTypes types, PlanEvaluator evaluator, PlanRoutes routes,
            SynclineConfig config) {
        this.registry = registry;
        this.types = types;
        this.evaluator = evaluator;
        this.routes = routes;
        this.threads = new SideBySide(config.backfill().dryRunThreads(), "plan");
    }

    @PreDestroy
    void stop() {
        threads.close();
    }

    /** @throws PlanRefusedException a bad request (400), a candidate model with problems (422), a plan already running (409) */
    public Plan plan(PlanRequest request) throws Exception {
        return exclusively(() -> make(request));
    }

    /** Work that reads sources and targets as a plan does: one at a time per replica, else 409. */
    <T> T exclusively(java.util.concurrent.Callable<T> work) throws Exception {
        if (!one.tryAcquire()) {
            throw new PlanRefusedException(409, "plan_running", "a plan is being made on this replica: try again when it ends");
        }
        try {
            return work.call();
        } finally {
            one.release();
        }
    }

    /** What one record comes to, decided on a plan's thread. */
    @FunctionalInterface
    interface RecordWork<T> {

        List<T> decide(PlannedRecord record) throws Exception;
    }

    /** The records decided side by side on the plans' threads, their results in the records' order. */
    <T> List<T> eachRecord(List<PlannedRecord> records, RecordWork<T> work) throws Exception {
        return threads.each(records, work::decide);
    }

    private Plan make(PlanRequest request) throws Exception {
        CompiledModel running = registry.current();
        CompiledModel model = request.files().isEmpty() ? running : candidate(request, running.model());
        List<Scope> scopes = scopes(request, model.model());
        String id = UUID.randomUUID().toString().substring(0, 8);
        Instant started = clock.instant();
        Instant deadline = started.plus(request.timeout() == null ? DEFAULT_TIMEOUT : request.timeout());
        long limit = request.limit() == null ? Long.MAX_VALUE : request.limit();
        List<String> notes = new ArrayList<>();
        List<PlanLine> lines = new ArrayList<>();
        List<Plan.EntityPlan> entities = new ArrayList<>();
        Map<String, Map<String, Long>> summary = new LinkedHashMap<>();
        String stoppedBy = null;
        try (PlanRoutes.Made made = routes.open()) {
            for (Scope scope : scopes) {
                Map<String, String> endpoints = new LinkedHashMap<>();
                for (String target : scope.targets()) {
                    endpoints.put(target, made.endpoint(scope.entity(), scope.source(), target,
                            model.model().entities().get(scope.entity()).mappings().get(target)));
                }
                Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
                scope.targets().forEach(target -> outcomes.put(target, new LinkedHashMap<>()));
                long[] read = {0};
                boolean[] late = {false};
                if (stoppedBy == null) {
                    new SourcePull(types, model.model(), scope.entity(), scope.source(), limit, id).read(records -> {
                        read[0] += records.size();
                        for (PlanLine line : decide(model, id, scope, endpoints, records)) {
                            outcomes.get(line.target()).merge(line.outcome(), 1L, Long::sum);
                            if (!line.outcome().equals("unchanged")) {
                                lines.add(line);
                            }
                        }
                        late[0] = clock.instant().isAfter(deadline);
                        return !late[0];
                    });
                }
                if (late[0]) {
                    stoppedBy = "timeout";
                    notes.add("stopped at its time bound after " + read[0] + " records of " + scope.entity()
                            + ": what it found so far is reported, and the rest was not read");
                }
                outcomes.forEach((target, counts) -> counts
                        .forEach((outcome, n) -> summary.computeIfAbsent(target, t -> new LinkedHashMap<>()).merge(outcome, n, Long::sum)));
                entities.add(new Plan.EntityPlan(scope.entity(), scope.source(), scope.targets(), read[0],
                        request.limit() == null ? -1 : limit, outcomes));
            }
        }
        boolean changes = summary.values().stream().anyMatch(counts -> counts.getOrDefault("create", 0L)
                + counts.getOrDefault("update", 0L) + counts.getOrDefault("delete", 0L) > 0);
        double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
        LOG.infof("Plan %s of the %s model: %s in %.1f s", id, request.files().isEmpty() ? "running" : "candidate", summary, seconds);
        return new Plan(id, request.files().isEmpty() ? "running" : "candidate", started, seconds, stoppedBy == null, stoppedBy,
                entities, summary, lines, notes, changes, changes ? 2 : 0);
    }

    /** The page's records decided side by side, each record's targets one after another. */
    private List<PlanLine> decide(CompiledModel model, String id, Scope scope, Map<String, String> endpoints,
            List<PlannedRecord> records) throws Exception {
        return eachRecord(records, record -> {
            List<PlanLine> lines = new ArrayList<>(endpoints.size());
            for (Map.Entry<String, String> target : endpoints.entrySet()) {
                DryRunDecision decision = evaluator.decide(model, id, target.getValue(), target.getKey(), record);
                lines.add(PlanLine.of(scope.entity(), target.getKey(), record.key(), decision));
            }
            return lines;
        });
    }

    private CompiledModel candidate(PlanRequest request, SyncModel running) {
        return candidate(request.files(), running);
    }

    /** The candidate compiled, its systems the running ones: a plan reaches systems through the connections that run. */
    CompiledModel candidate(List<io.syncline.model.ModelFile> files, SyncModel running) {
        CompiledModel candidate;
        try {
            candidate = registry.compile(files);
        } catch (ModelValidationException e) {
            throw new PlanRefusedException(422, "model_invalid", e.getMessage());
        } catch (RuntimeException e) {
            // a file the model reader cannot take at all (an entity with no body, a YAML that is no mapping)
            throw new PlanRefusedException(422, "model_invalid", "the candidate model could not be read: " + e.getMessage());
        }
        for (Map.Entry<String, SystemDefinition> system : candidate.model().systems().entrySet()) {
            SystemDefinition now = running.systems().get(system.getKey());
            if (now == null || !now.equals(system.getValue())) {
                throw new PlanRefusedException(422, "system_not_running", "system " + system.getKey()
                        + (now == null ? " is not in the running model" : " has other settings than in the running model")
                        + ": a plan reaches systems through the running deployment's connections; deploy the system first");
            }
        }
        return candidate;
    }

    /** What one entity's plan reads and decides. */
    record Scope(String entity, String source, List<String> targets) {
    }

    private List<Scope> scopes(PlanRequest request, SyncModel model) {
        List<String> names = request.entities().isEmpty() ? new ArrayList<>(model.entities().keySet()) : request.entities();
        List<Scope> scopes = new ArrayList<>();
        for (String name : names) {
            EntityDefinition entity = model.entities().get(name);
            if (entity == null) {
                throw new PlanRefusedException(400, "unknown_entity", "the model has no entity '" + name + "'; it has "
                        + model.entities().keySet());
            }
            String source = request.source() != null ? request.source() : entity.master();
            if (source == null || !entity.mappings().containsKey(source) || !types.can(source, Ability.READ_PAGES)) {
                if (request.entities().isEmpty()) {
                    continue; // no source to read: nothing to plan for it
                }
                throw new PlanRefusedException(400, "no_source", name + ": " + (source == null ? "the entity has no master: name the source"
                        : source + " is not a system the entity maps whose type reads pages"));
            }
            List<String> targets = new ArrayList<>();
            for (Map.Entry<String, SystemMapping> mapping : entity.mappings().entrySet()) {
                boolean wanted = request.targets().isEmpty() ? !mapping.getKey().equals(source) && mapping.getValue().writes()
                        : request.targets().contains(mapping.getKey());
                if (wanted) {
                    if (mapping.getValue().route() != null) {
                        throw new PlanRefusedException(409, "route_of_its_own", name + " into " + mapping.getKey()
                                + " is applied by a route of its own (" + mapping.getValue().route()
                                + "), whose writes a plan cannot hold back");
                    }
                    targets.add(mapping.getKey());
                }
            }
            if (!targets.isEmpty()) {
                scopes.add(new Scope(name, source, targets));
            }
        }
        if (scopes.isEmpty()) {
            throw new PlanRefusedException(400, "nothing_to_plan", "no entity of the model has a source to read and a target to write");
        }
        return scopes;
    }
}
