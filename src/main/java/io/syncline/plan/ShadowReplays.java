package io.syncline.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.backfill.DryRunDecision;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.inbox.InboxLookups;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ModelFile;
import io.syncline.model.SystemMapping;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Shadow replays (docs/plan.md): the events an inbox accepted in a window and applied
 * ({@link InboxReplay}), each decided again in each target by the running model and by a candidate,
 * with {@link PlanEvaluator} as a plan decides, and the two compared ({@link ShadowDifference}).
 * Both decide against the systems as they are now, so that what differs is the model's doing, not
 * what changed in the systems since the events were applied. One at a time per replica, with plans.
 */
@ApplicationScoped
public class ShadowReplays {

    private static final Logger LOG = Logger.getLogger(ShadowReplays.class);

    /** What to replay: the candidate's files, the entity and source, the window, at most {@code limit} events, within {@code timeout}. */
    public record Request(List<ModelFile> files, String entity, String source, Instant from, Instant to, Long limit,
            Duration timeout) {
    }

    private final PlanService plans;
    private final PlanEvaluator evaluator;
    private final PlanRoutes routes;
    private final InboxLookups inbox;
    private final SyncModelRegistry registry;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public ShadowReplays(PlanService plans, PlanEvaluator evaluator, PlanRoutes routes, InboxLookups inbox,
            SyncModelRegistry registry, ObjectMapper json) {
        this.plans = plans;
        this.evaluator = evaluator;
        this.routes = routes;
        this.inbox = inbox;
        this.registry = registry;
        this.json = json;
    }

    /** @throws PlanRefusedException a bad request (400), a candidate with problems (422), a plan or replay running (409) */
    public ShadowReplay replay(Request request) throws Exception {
        if (request.files().isEmpty()) {
            throw new PlanRefusedException(400, "no_candidate", "a shadow replay compares a candidate model with the running one:"
                    + " send the candidate's files as parts named model");
        }
        return plans.exclusively(() -> run(request));
    }

    private ShadowReplay run(Request request) throws Exception {
        CompiledModel running = registry.current();
        CompiledModel candidate = plans.candidate(request.files(), running.model());
        EntityDefinition entity = candidate.model().entities().get(request.entity());
        if (entity == null || !running.model().entities().containsKey(request.entity())) {
            throw new PlanRefusedException(400, "unknown_entity", "the running and the candidate model must both have the entity '"
                    + request.entity() + "'; the candidate has " + candidate.model().entities().keySet());
        }
        String source = request.source() != null ? request.source() : entity.master();
        List<String> targets = targets(request.entity(), entity, source);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Instant started = clock.instant();
        Instant deadline = started.plus(request.timeout() == null ? PlanService.DEFAULT_TIMEOUT : request.timeout());
        Map<String, SystemMapping> runningMappings = running.model().entities().get(request.entity()).mappings();
        List<ShadowDifference> differences = new ArrayList<>();
        Map<String, Set<Long>> differing = new LinkedHashMap<>();
        targets.forEach(target -> differing.put(target, new HashSet<>()));
        long[] events = {0};
        boolean[] late = {false};
        try (PlanRoutes.Made made = routes.open()) {
            Map<String, String> endpoints = new LinkedHashMap<>();
            for (String target : targets) {
                endpoints.put(target, made.endpoint(request.entity(), source, target, entity.mappings().get(target)));
            }
            new InboxReplay(inbox, json, request.entity(), source, request.from(), request.to(),
                    request.limit() == null ? Long.MAX_VALUE : request.limit(), id).read(records -> {
                        events[0] += records.size();
                        for (ShadowDifference difference : plans.eachRecord(records, record -> compare(running, candidate, id,
                                endpoints, runningMappings, record))) {
                            differences.add(difference);
                            differing.get(difference.target()).add(difference.inboxId());
                        }
                        late[0] = clock.instant().isAfter(deadline);
                        return !late[0];
                    });
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        differing.forEach((target, ids) -> counts.put(target, (long) ids.size()));
        double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
        LOG.infof("Shadow replay %s of %d events of %s from %s: %s differing in %.1f s", id, events[0], request.entity(), source,
                counts, seconds);
        return new ShadowReplay(id, request.entity(), source, request.from(), request.to(), started, seconds, events[0], counts,
                differences, !late[0], differences.isEmpty() ? 0 : 2);
    }

    /** The targets a replay of {@code entity}'s events from {@code source} decides: every system but the source that it writes. */
    static List<String> targets(String name, EntityDefinition entity, String source) {
        if (source == null || !entity.mappings().containsKey(source)) {
            throw new PlanRefusedException(400, "no_source", name + ": name the source whose events to replay (source=)"
                    + (source == null ? "" : "; " + source + " is not a system the entity maps"));
        }
        List<String> targets = new ArrayList<>();
        entity.mappings().forEach((system, mapping) -> {
            if (!system.equals(source) && mapping.writes()) {
                if (mapping.route() != null) {
                    throw new PlanRefusedException(409, "route_of_its_own", name + " into " + system
                            + " is applied by a route of its own, whose writes a replay cannot hold back");
                }
                targets.add(system);
            }
        });
        return targets;
    }

    /** One event decided in each target by both models; a target the running model does not write differs as a whole. */
    private List<ShadowDifference> compare(CompiledModel running, CompiledModel candidate, String id, Map<String, String> endpoints,
            Map<String, SystemMapping> runningMappings, PlannedRecord record) throws Exception {
        List<ShadowDifference> found = new ArrayList<>();
        for (Map.Entry<String, String> target : endpoints.entrySet()) {
            DryRunDecision now = runningMappings.containsKey(target.getKey())
                    ? evaluator.decide(running, id, target.getValue(), target.getKey(), record)
                    : new DryRunDecision("none", null, null, null, "the running model does not write " + target.getKey(), 0, List.of(),
                            null);
            DryRunDecision then = evaluator.decide(candidate, id, target.getValue(), target.getKey(), record);
            found.addAll(ShadowDifference.between(record.inboxId(), record.key(), target.getKey(), now, then));
        }
        return found;
    }
}
