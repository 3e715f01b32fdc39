package io.syncline.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.backfill.DryRunDecision;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.InboxLookups;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ModelFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Fixtures of an integrator's own sync (docs/plan.md#fixtures-in-ci): {@link #capture} reads the
 * applied events of a window as a shadow replay does ({@link InboxReplay}) and records, for each,
 * what the running model decides now in each target, in the sandbox; {@link #replay} decides each
 * event of such a document again by a candidate (or the running model, on another deployment) and
 * compares with what was recorded ({@link FixtureOutcome#differences}). One at a time per replica,
 * with plans and shadow replays.
 */
@ApplicationScoped
public class ReplayFixtures {

    private static final Logger LOG = Logger.getLogger(ReplayFixtures.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** The most events one capture or replay takes: a fixture file is sent whole, within the request's size bound. */
    public static final int MAX_EVENTS = 1_000;

    @Inject
    PlanService plans;
    @Inject
    PlanEvaluator evaluator;
    @Inject
    PlanRoutes routes;
    @Inject
    InboxLookups inbox;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    /**
     * The applied events of {@code entity} from {@code source} received in [{@code from}, {@code to}),
     * oldest first, at most {@code limit} (else all, up to {@link #MAX_EVENTS}), each with the running model's outcome now.
     *
     * @throws PlanRefusedException an unknown entity or source (400), more events than {@link #MAX_EVENTS} (413), a plan running (409)
     */
    public Fixtures capture(String entity, String source, Instant from, Instant to, Integer limit) throws Exception {
        return plans.exclusively(() -> {
            CompiledModel running = registry.current();
            EntityDefinition definition = entity(running, entity, "the running model");
            String system = source != null ? source : definition.master();
            List<String> targets = ShadowReplays.targets(entity, definition, system);
            String id = UUID.randomUUID().toString().substring(0, 8);
            long most = limit != null ? limit : MAX_EVENTS + 1L;
            List<Fixtures.Event> events = new ArrayList<>();
            try (PlanRoutes.Made made = routes.open()) {
                Map<String, String> endpoints = endpoints(made, running, entity, system, targets);
                new InboxReplay(inbox, json, entity, system, from, to, most, id).read(records -> {
                    if (events.size() + records.size() > MAX_EVENTS) {
                        throw new PlanRefusedException(413, "too_many_events", "the window holds more than " + MAX_EVENTS
                                + " applied events, the most a fixture file takes: narrow from and to, or set limit");
                    }
                    // each payload kept as it came, before a stage sees it
                    List<Map<String, Object>> payloads = new ArrayList<>();
                    for (PlannedRecord record : records) {
                        payloads.add(normalized(record.values()));
                    }
                    List<Map<String, FixtureOutcome>> outcomes = plans.eachRecord(records,
                            record -> List.of(decide(running, id, endpoints, record)));
                    for (int i = 0; i < records.size(); i++) {
                        PlannedRecord record = records.get(i);
                        events.add(new Fixtures.Event(record.inboxId(), record.key(), record.origin(), payloads.get(i),
                                outcomes.get(i)));
                    }
                    return true;
                });
            }
            LOG.infof("Captured %d events of %s from %s as fixtures", events.size(), entity, system);
            return new Fixtures(Fixtures.FORMAT, entity, system, from, to, clock.instant(), events);
        });
    }

    /**
     * The fixture's events decided again by the candidate ({@code files}; none: the running model)
     * and compared with what each recorded, within {@code timeout}.
     *
     * @throws PlanRefusedException a candidate with problems or an entity it lacks (422, 400), a plan running (409)
     */
    public FixtureReplay replay(List<ModelFile> files, Fixtures fixtures, Duration timeout) throws Exception {
        return plans.exclusively(() -> {
            CompiledModel running = registry.current();
            CompiledModel model = files.isEmpty() ? running : plans.candidate(files, running.model());
            String kind = files.isEmpty() ? "running" : "candidate";
            EntityDefinition entity = entity(model, fixtures.entity(), "the " + kind + " model");
            List<String> writes = ShadowReplays.targets(fixtures.entity(), entity, fixtures.source());
            // every target recorded, and each the model writes now
            Set<String> targets = new LinkedHashSet<>();
            fixtures.events().forEach(event -> targets.addAll(event.outcomes().keySet()));
            targets.addAll(writes);
            String id = UUID.randomUUID().toString().substring(0, 8);
            Instant started = clock.instant();
            Instant deadline = started.plus(timeout == null ? PlanService.DEFAULT_TIMEOUT : timeout);
            Map<String, Set<Integer>> differing = new LinkedHashMap<>();
            targets.forEach(target -> differing.put(target, new HashSet<>()));
            List<FixtureDifference> differences = new ArrayList<>();
            int replayed = 0;
            boolean late = false;
            try (PlanRoutes.Made made = routes.open()) {
                Map<String, String> endpoints = endpoints(made, model, fixtures.entity(), fixtures.source(), writes);
                List<Fixtures.Event> events = fixtures.events();
                int page = 100;
                for (int first = 0; first < events.size() && !late; first += page) {
                    List<PlannedRecord> records = new ArrayList<>();
                    for (int i = first; i < Math.min(events.size(), first + page); i++) {
                        Fixtures.Event event = events.get(i);
                        records.add(new PlannedRecord(event.record(), event.payload(),
                                event.origin() == null ? ExchangeContract.ORIGIN_WEBHOOK : event.origin(),
                                "fixture:" + id + ":" + i, event.inboxId() != null ? event.inboxId() : i));
                    }
                    int offset = first;
                    List<FixtureDifference> found = plans.eachRecord(records, record -> {
                        int index = offset + records.indexOf(record);
                        Fixtures.Event event = events.get(index);
                        Map<String, FixtureOutcome> now = decide(model, id, endpoints, record);
                        List<FixtureDifference> of = new ArrayList<>();
                        for (String target : targets) {
                            FixtureOutcome recorded = event.outcomes().getOrDefault(target, FixtureOutcome.none(target));
                            of.addAll(recorded.differences(event.inboxId(), index, event.record(), target,
                                    now.getOrDefault(target, FixtureOutcome.none(target))));
                        }
                        return of;
                    });
                    for (FixtureDifference difference : found) {
                        differences.add(difference);
                        differing.get(difference.target()).add(difference.event());
                    }
                    replayed += records.size();
                    late = clock.instant().isAfter(deadline);
                }
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            differing.forEach((target, events) -> counts.put(target, (long) events.size()));
            double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
            LOG.infof("Fixture replay %s of %d events of %s through the %s model: %s differing in %.1f s", id, replayed,
                    fixtures.entity(), kind, counts, seconds);
            return new FixtureReplay(id, kind, fixtures.entity(), fixtures.source(), started, seconds, replayed, counts, differences,
                    !late, differences.isEmpty() ? 0 : 2);
        });
    }

    /**
     * A fixture document read and checked: what is wrong with it, named, as a 400.
     *
     * @throws PlanRefusedException 400 for a document that is no fixture file, 413 for one with more than {@link #MAX_EVENTS} events
     */
    public Fixtures read(byte[] document) {
        Fixtures fixtures;
        try {
            fixtures = json.readValue(document, Fixtures.class);
        } catch (JsonProcessingException e) {
            throw malformed("it is not a fixture document: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw malformed("it could not be read: " + e.getMessage());
        }
        if (fixtures == null || !Fixtures.FORMAT.equals(fixtures.format())) {
            throw malformed("format must be \"" + Fixtures.FORMAT + "\"" + (fixtures == null ? "" : ", not " + fixtures.format()));
        }
        if (blank(fixtures.entity()) || blank(fixtures.source())) {
            throw malformed("it names no " + (blank(fixtures.entity()) ? "entity" : "source"));
        }
        if (fixtures.events() == null) {
            throw malformed("it has no events");
        }
        if (fixtures.events().size() > MAX_EVENTS) {
            throw new PlanRefusedException(413, "too_many_events", "the fixture file holds " + fixtures.events().size()
                    + " events; one replay takes at most " + MAX_EVENTS + ": split it");
        }
        for (int i = 0; i < fixtures.events().size(); i++) {
            Fixtures.Event event = fixtures.events().get(i);
            String wrong = event == null ? "is null" : blank(event.record()) ? "has no record"
                    : event.payload() == null ? "has no payload" : event.outcomes() == null ? "has no outcomes" : null;
            if (wrong == null) {
                for (Map.Entry<String, FixtureOutcome> outcome : event.outcomes().entrySet()) {
                    if (outcome.getValue() == null || blank(outcome.getValue().action())) {
                        wrong = "has no action for " + outcome.getKey();
                        break;
                    }
                }
            }
            if (wrong != null) {
                throw malformed("events[" + i + "] " + wrong);
            }
        }
        return fixtures;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static PlanRefusedException malformed(String what) {
        return new PlanRefusedException(400, "fixtures_malformed", "the fixtures part is not a fixture file: " + what);
    }

    private static EntityDefinition entity(CompiledModel model, String name, String which) {
        EntityDefinition entity = name == null ? null : model.model().entities().get(name);
        if (entity == null) {
            throw new PlanRefusedException(400, "unknown_entity", which + " has no entity '" + name + "'; it has "
                    + model.model().entities().keySet());
        }
        return entity;
    }

    private static Map<String, String> endpoints(PlanRoutes.Made made, CompiledModel model, String entity, String source,
            List<String> targets) throws Exception {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (String target : targets) {
            endpoints.put(target, made.endpoint(entity, source, target, model.model().entities().get(entity).mappings().get(target)));
        }
        return endpoints;
    }

    /** The record's outcome in each target the model writes. */
    private Map<String, FixtureOutcome> decide(CompiledModel model, String id, Map<String, String> endpoints, PlannedRecord record)
            throws Exception {
        Map<String, FixtureOutcome> outcomes = new LinkedHashMap<>();
        for (Map.Entry<String, String> target : endpoints.entrySet()) {
            DryRunDecision decision = evaluator.decide(model, id, target.getValue(), target.getKey(), record);
            outcomes.put(target.getKey(), FixtureOutcome.of(decision, decision.values() == null ? null : normalized(decision.values())));
        }
        return outcomes;
    }

    /** {@code values} as JSON reads them back: a recorded value and one decided now compare alike (numbers, dates). */
    private Map<String, Object> normalized(Map<String, Object> values) throws JsonProcessingException {
        return json.readValue(json.writeValueAsString(values), OBJECT);
    }
}
