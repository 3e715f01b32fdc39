package io.syncline.routes;

import io.syncline.capture.ChangeCaptures;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.SystemType;
import io.syncline.inbox.InboxBatches;
import io.syncline.model.Ability;
import io.syncline.model.EntityDefinition;
import io.syncline.model.SyncModel;
import io.syncline.reconcile.ReconciliationSchedules;
import io.syncline.sync.QuantityPushes;
import io.syncline.webhook.SystemWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates the routes the sync model declares, from the route templates packaged in
 * {@code route-templates/} (docs/reference/routes.md):
 * <ul>
 * <li>for each webhook ({@code entities.<entity>.webhooks.<source>}), route
 *     {@code <source>-<entity>-webhook} from {@code webhook-intake}; for each polled source
 *     ({@code entities.<entity>.polls.<source>}), route {@code <source>-<entity>-poll} from
 *     {@code poll}, and where its deletions are found by a key diff, route
 *     {@code <source>-<entity>-deletes} from {@code poll-deletes}; for each captured source
 *     ({@code entities.<entity>.captures.<source>}), no route but a running capture
 *     ({@link ChangeCaptures}) that puts its changes into the inbox, or, for a system whose changes
 *     are messages a Camel consumer reads ({@link SystemType#messageIntake}), route
 *     {@code <source>-<entity>-messages} from {@code message-intake}; a backfill's source
 *     ({@code backfills.<name>.source}) and the master of a reconciliation job whose auto-fix
 *     names no {@code fixEndpoint} need no route of their own;</li>
 * <li>for each of that source's targets (every other system the entity maps with fields to
 *     write), route {@code <entity>-<source>-to-<target>} from {@code apply}, with the target
 *     mapping's {@code hooks}; or, where the mapping names a {@code route}, from
 *     {@code apply-route}, which runs the engine's guarantees around that route (a route file's);</li>
 * <li>where a source has several targets, route {@code <entity>-from-<source>} from
 *     {@code fan-out}, which applies the event to each in turn;</li>
 * <li>for each reconciliation job, route {@code reconcile-<job>} from {@code reconcile}, and where
 *     the job has a schedule, route {@code reconcile-<job>-schedule} from
 *     {@code reconcile-schedule}, whose Quartz trigger calls it.</li>
 * </ul>
 * Routes from the apply template without hooks, to a type that writes batches, are batched by the inbox. A hook or a replacing
 * route whose {@code direct:} endpoint no route consumes is a problem readiness reports.
 */
@ApplicationScoped
public class ModelRoutes {

    /** How a problem of the model's routes is listed among the route files' problems. */
    static final String PROBLEM = "model: ";
    static final List<String> TEMPLATES =
            List.of("webhook-intake", "webhook-challenge", "message-intake", "poll", "poll-deletes", "apply", "apply-route", "fan-out",
                    "reconcile", "reconcile-schedule", "system-schedule");
    private static final Logger LOG = Logger.getLogger(ModelRoutes.class);

    @Inject
    RouteFileProblems problems;
    @Inject
    InboxBatches batches;
    @Inject
    ReconciliationSchedules schedules;
    @Inject
    SystemTypes types;
    @Inject
    ChangeCaptures captures;
    @Inject
    SourceIntakes intakes;
    @Inject
    QuantityPushes quantityPushes;
    /** The routes made from the model in force, by id: what each was made of. */
    private final Map<String, Made> created = new HashMap<>();
    /** During {@link #create}: the routes of the model before, not yet kept or replaced. */
    private Map<String, Made> previous = new HashMap<>();

    /** A route made from a template with these parameters. */
    private record Made(String template, Map<String, Object> parameters) {
    }

    /**
     * Creates the model's routes. For a reloaded model, a route made from the same template with
     * the same parameters as before keeps running untouched (a mapping's transforms are read by
     * its stages, not baked into its route), a changed one is replaced, and one the model no
     * longer makes is removed: a webhook whose route did not change never answers 503 while the
     * model reloads.
     */
    public synchronized void create(CamelContext context, SyncModel model) throws Exception {
        loadTemplates(context);
        problems.removeAll(PROBLEM);
        previous = new HashMap<>(created);
        created.clear();
        Set<String> batchable = new HashSet<>();
        // where a parent fetched for a waiting child is applied: its entity's route from that source
        Map<String, SourceIntakes.Intake> intakes = new HashMap<>();
        model.entities().forEach((entity, definition) -> definition.webhooks().forEach((source, path) -> {
            String endpoint = applyEndpoint(context, model, entity, definition, source, "webhooks", batchable);
            if (endpoint != null) {
                String routeId = add(context, "webhook-intake", source + "-" + entity + "-webhook", Map.of("entity", entity,
                        "source", source, "webhookPath", path, "applyEndpoint", endpoint));
                intakes.putIfAbsent(entity + "/" + source, new SourceIntakes.Intake(routeId, endpoint));
                // the sender's verification request at the same path, where its system asks one
                if (types.typeOf(source, model.systems().get(source)).webhook(source, model.systems().get(source))
                        .map(SystemWebhook::challenge).isPresent()) {
                    add(context, "webhook-challenge", routeId + "-challenge", Map.of("source", source, "webhookPath", path));
                }
            }
        }));
        model.entities().forEach((entity, definition) -> definition.polls().forEach((source, poll) -> {
            String endpoint = applyEndpoint(context, model, entity, definition, source, "polls", batchable);
            if (endpoint != null) {
                String routeId = add(context, "poll", source + "-" + entity + "-poll", Map.of("entity", entity, "source", source,
                        "cron", poll.schedule(), "applyEndpoint", endpoint));
                intakes.putIfAbsent(entity + "/" + source, new SourceIntakes.Intake(routeId, endpoint));
                if (poll.deletes() != null) {
                    add(context, "poll-deletes", source + "-" + entity + "-deletes", Map.of("entity", entity, "source", source,
                            "cron", poll.deletes().schedule(), "applyEndpoint", endpoint));
                }
            }
        }));
        // A backfill's source, and the master a reconciliation's auto-fix writes from, need their
        // apply routes too, when no webhook or poll made them.
        Map<String, String> madeFor = new HashMap<>();
        model.backfills().forEach((name, backfill) -> backfill.entityNames().forEach(entity -> {
            EntityDefinition definition = model.entities().get(entity);
            if (!definition.sources().contains(backfill.source()) && !madeFor.containsKey(entity + "/" + backfill.source())) {
                madeFor.put(entity + "/" + backfill.source(),
                        applyEndpoint(context, model, entity, definition, backfill.source(), "backfills", batchable));
            }
        }));
        model.reconciliations().forEach((job, reconciliation) -> {
            EntityDefinition definition = model.entities().get(reconciliation.entity());
            String master = definition.master();
            if (reconciliation.autoFixes() && reconciliation.fixEndpoint() == null && master != null
                    && !definition.sources().contains(master) && !madeFor.containsKey(reconciliation.entity() + "/" + master)) {
                madeFor.put(reconciliation.entity() + "/" + master,
                        applyEndpoint(context, model, reconciliation.entity(), definition, master, "reconciliations", batchable));
            }
        });
        List<ChangeCaptures.Wanted> captured = new ArrayList<>();
        model.entities().forEach((entity, definition) -> definition.captures().keySet().forEach(source -> {
            String endpoint = applyEndpoint(context, model, entity, definition, source, "captures", batchable);
            Optional<String> messages = endpoint == null ? Optional.empty()
                    : types.typeOf(source, model.systems().get(source)).messageIntake(entity, source);
            if (messages.isPresent()) {
                String routeId = add(context, "message-intake", source + "-" + entity + "-messages", Map.of("entity", entity,
                        "source", source, "endpointUri", messages.get(), "applyEndpoint", endpoint));
                intakes.putIfAbsent(entity + "/" + source, new SourceIntakes.Intake(routeId, endpoint));
            } else if (endpoint != null) {
                captured.add(new ChangeCaptures.Wanted(entity, source, endpoint));
                intakes.putIfAbsent(entity + "/" + source, new SourceIntakes.Intake(ChangeCaptures.routeId(entity, source), endpoint));
            }
        }));
        this.intakes.made(intakes);
        quantityPushes.made(masterIntakes(context, model, intakes, madeFor, batchable));
        batches.batchable(batchable);
        Set<String> scheduled = new HashSet<>();
        model.reconciliations().forEach((job, definition) -> {
            add(context, "reconcile", "reconcile-" + job, Map.of("job", job));
            if (definition.schedule() != null && schedules.enabled()) {
                add(context, "reconcile-schedule", "reconcile-" + job + "-schedule", Map.of("job", job, "cron", definition.schedule()));
                scheduled.add(job);
            }
        });
        schedules.keepOnly(scheduled);
        Set<String> tasks = new HashSet<>();
        if (schedules.enabled()) {
            model.systems().forEach((system, definition) -> types.typeOf(system, definition).scheduled(system, definition)
                    .forEach(task -> {
                        add(context, "system-schedule", "schedule-" + system + "-" + task.name(), Map.of("system", system,
                                "task", task.name(), "cron", task.cron()));
                        tasks.add(system + "-" + task.name());
                    }));
        }
        schedules.keepOnlySystemTasks(tasks);
        for (String gone : previous.keySet()) {
            remove(context, gone);
        }
        previous = new HashMap<>();
        // after the apply routes the captured changes go to, and the removal of those no longer made
        captures.keepOnly(model, captured);
        LOG.infof("Created %d routes from the sync model", created.size());
    }

    /**
     * For each entity whose quantity is set from the master ({@code write: master}), where the
     * master's pushes of its new quantity go in: the master's own intake where it has one, else an
     * apply route from the master made for them.
     */
    private Map<String, QuantityPushes.Intake> masterIntakes(CamelContext context, SyncModel model,
            Map<String, SourceIntakes.Intake> intakes, Map<String, String> madeFor, Set<String> batchable) {
        Map<String, QuantityPushes.Intake> masters = new HashMap<>();
        model.entities().forEach((entity, definition) -> {
            if (!QuantityPushes.setFromMaster(definition) || !definition.mappings().containsKey(definition.master())) {
                return;
            }
            String key = entity + "/" + definition.master();
            SourceIntakes.Intake intake = intakes.get(key);
            if (intake != null) {
                masters.put(entity, new QuantityPushes.Intake(intake.routeId(), intake.applyEndpoint()));
                return;
            }
            String endpoint = madeFor.containsKey(key) ? madeFor.get(key)
                    : applyEndpoint(context, model, entity, definition, definition.master(), "quantities", batchable);
            if (endpoint != null) {
                masters.put(entity, new QuantityPushes.Intake(endpoint.substring("direct:".length()), endpoint));
            }
        });
        return masters;
    }

    /**
     * The endpoint the source's events are applied by; null (a problem recorded) when it has no target.
     *
     * @param sourceKind how the source sends its changes: {@code webhooks}, {@code polls}, {@code captures}, {@code backfills}
     *                   or {@code reconciliations} (an auto-fix's master)
     */
    private String applyEndpoint(CamelContext context, SyncModel model, String entity, EntityDefinition definition,
            String source, String sourceKind, Set<String> batchable) {
        List<String> endpoints = new ArrayList<>();
        inApplyOrder(definition).forEach((target, mapping) -> {
            // the model validator refused a mapping that writes to a system whose type cannot
            if (target.equals(source) || !mapping.writes()) {
                return;
            }
            // a quantity set from the master: another system's change goes to the master alone, which pushes its total on
            if (QuantityPushes.setFromMaster(definition) && !source.equals(definition.master())
                    && !target.equals(definition.master()) && definition.mappings().containsKey(definition.master())) {
                return;
            }
            String routeId = entity + "-" + source + "-to-" + target;
            Map<String, Object> parameters = new LinkedHashMap<>(Map.of("entity", entity, "source", source, "target", target));
            String at = "entities." + entity + ".mappings." + target;
            if (mapping.route() != null) {
                parameters.put("route", mapping.route());
                requireConsumer(context, at + ".route", mapping.route());
                endpoints.add("direct:" + add(context, "apply-route", routeId, parameters));
                return;
            }
            mapping.hooks().forEach((point, uri) -> {
                parameters.put(point, uri);
                requireConsumer(context, at + ".hooks." + point, uri);
            });
            String endpoint = "direct:" + add(context, "apply", routeId, parameters);
            endpoints.add(endpoint);
            SystemType type = types.typeOf(target, model.systems().get(target));
            if (!type.abilities().contains(Ability.BATCH_WRITE)) {
                LOG.infof("Route %s applies one event at a time: type %s of %s writes no batches", routeId, type.name(), target);
            } else if (!mapping.hooks().isEmpty()) {
                LOG.infof("Route %s applies one event at a time: its hooks %s are called with one record each", routeId,
                        mapping.hooks().keySet());
            } else {
                batchable.add(endpoint);
            }
        });
        if (endpoints.isEmpty()) {
            problems.record(PROBLEM + "entities." + entity + "." + sourceKind + "." + source, "no system to apply " + entity
                    + " from " + source + " to: map the entity in a system whose type can write, with fields it writes");
            return null;
        }
        if (endpoints.size() == 1) {
            return endpoints.get(0);
        }
        return "direct:" + add(context, "fan-out", entity + "-from-" + source, Map.of("entity", entity, "source", source,
                "targets", String.join(",", endpoints)));
    }

    /**
     * The entity's mappings in the order a fan-out applies them: as declared, except that an entity
     * with a quantity field ({@code quantity:}) has its master first. The master arbitrates the
     * quantity's floor: a change it holds stops the fan-out there, and reaches no other system
     * until a person approves it (docs/adr/0019).
     */
    private static Map<String, io.syncline.model.SystemMapping> inApplyOrder(EntityDefinition definition) {
        boolean quantities = definition.fields().values().stream().anyMatch(field -> field != null && field.isQuantity());
        if (!quantities || !definition.mappings().containsKey(definition.master())) {
            return definition.mappings();
        }
        Map<String, io.syncline.model.SystemMapping> ordered = new LinkedHashMap<>();
        ordered.put(definition.master(), definition.mappings().get(definition.master()));
        ordered.putAll(definition.mappings());
        return ordered;
    }

    private String add(CamelContext context, String template, String routeId, Map<String, Object> parameters) {
        Made made = new Made(template, Map.copyOf(parameters));
        Made before = previous.remove(routeId);
        if (made.equals(before) && context.getRoute(routeId) != null) {
            created.put(routeId, made);
            return routeId;
        }
        try {
            if (before != null) {
                remove(context, routeId);
            }
            TemplatedRouteBuilder.builder(context, template).routeId(routeId).parameters(parameters).add();
            created.put(routeId, made);
            // added after start-up, a route stays stopped until started
            context.getRouteController().startRoute(routeId);
        } catch (Exception e) {
            // a route file of the same id, say: readiness names it, every other route runs
            problems.record(PROBLEM + "route " + routeId, "not created from template " + template + ": " + e.getMessage());
            LOG.errorf("Route %s was not created from template %s: %s", routeId, template, e.getMessage());
        }
        return routeId;
    }

    private static void remove(CamelContext context, String routeId) throws Exception {
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
    }

    /** A {@code direct:} endpoint the model calls must be some route's {@code from}. */
    private void requireConsumer(CamelContext context, String at, String uri) {
        if (!uri.startsWith("direct:")) {
            return;
        }
        String wanted = context.getEndpoint(uri).getEndpointUri();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().equals(wanted)) {
                return;
            }
        }
        problems.record(PROBLEM + at, "no route consumes " + uri + ": add a route file whose from is " + uri);
    }

    /** Loads the packaged route templates into {@code context}, once. */
    public static void loadTemplates(CamelContext context) throws Exception {
        for (String template : TEMPLATES) {
            if (((ModelCamelContext) context).getRouteTemplateDefinition(template) == null) {
                PluginHelper.getRoutesLoader(context).loadRoutes(
                        ResourceHelper.resolveMandatoryResource(context, "classpath:route-templates/" + template + ".camel.yaml"));
            }
        }
    }
}
