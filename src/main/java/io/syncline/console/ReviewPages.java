package io.syncline.console;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.review.ReviewItem;
import io.syncline.review.ReviewItemClosedException;
import io.syncline.review.ReviewItemView;
import io.syncline.review.ReviewQueueRepository;
import io.syncline.review.ReviewResolutionFailedException;
import io.syncline.review.ReviewResolver;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The review queue in the console: the list (filters, pages), an item with both systems' values
 * side by side, and its resolution and discard, through the same {@link ReviewResolver} and
 * {@link ReviewQueueRepository} calls as {@code /admin/review-items}, with the logged-in user as resolver.
 */
@ApplicationScoped
public class ReviewPages {

    static final int PAGE = 50;
    private static final List<String> KINDS = List.of("conflict", "held_record", "held_by_rule", "ambiguous_match", "reconciliation");
    private static final List<String> STATUSES = List.of("open", "resolved", "discarded", "all");

    @Inject
    ReviewQueueRepository queue;
    @Inject
    ReviewResolver resolver;
    @Inject
    ReviewItemView view;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ConsoleResponder responder;

    @Route(path = "/console/review", methods = Route.HttpMethod.GET)
    @Blocking
    void list(RoutingContext rc) throws SQLException {
        ConsoleFilters filters = ConsoleFilters.read(rc, "entity", "kind", "status", "minAge", "system");
        String kind = filters.get("kind");
        String status = filters.get("status");
        String minAge = filters.get("minAge");
        int page = ConsoleForms.number(rc, "page", 0);
        Map<String, Object> data = filters.data();
        data.put("entities", ConsoleModel.entities(registry));
        data.put("kinds", KINDS);
        data.put("statuses", STATUSES);
        data.put("status", status == null ? "open" : status);
        Duration age;
        try {
            age = minAge == null ? null : DurationConverter.parseDuration(minAge);
        } catch (IllegalArgumentException e) {
            data.put("items", List.of());
            data.put("error", "Minimum age '" + minAge + "' is not a duration; write e.g. 30m, 4h, 2d");
            responder.page(rc, 400, "review-list", "review", data);
            return;
        }
        if ((kind != null && !KINDS.contains(kind)) || (status != null && !STATUSES.contains(status))) {
            data.put("items", List.of());
            data.put("error", "Choose a kind and a status from the lists");
            responder.page(rc, 400, "review-list", "review", data);
            return;
        }
        List<ReviewItem> items = queue.list(new ReviewQueueRepository.Filter(filters.get("entity"), filters.get("system"),
                status == null ? "open" : status,
                kind, age, PAGE + 1, page * PAGE));
        data.put("items", items.size() > PAGE ? items.subList(0, PAGE) : items);
        data.put("page", page);
        data.put("hasNext", items.size() > PAGE);
        responder.page(rc, 200, "review-list", "review", data);
    }

    @Route(path = "/console/review/:id", methods = Route.HttpMethod.GET)
    @Blocking
    void item(RoutingContext rc) throws SQLException {
        show(rc, ConsoleForms.id(rc), 200, ConsoleForms.param(rc, "done"), null);
    }

    /**
     * The form's answer as the admin API's body: per conflicting field {@code take.<field>} (source,
     * target or custom with {@code value.<field>}); per held field {@code value.<field>}; for a
     * match {@code candidate} (a system id, or {@code new}).
     */
    @Route(path = "/console/review/:id/resolve", methods = Route.HttpMethod.POST)
    @Blocking
    void resolve(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        ReviewItem item = queue.find(id).orElse(null);
        if (item == null) {
            responder.notFound(rc, "review item", id);
            return;
        }
        try {
            resolver.resolve(id, ResolutionForm.body(item.kind(), rc), responder.user());
            responder.seeOther(rc, "/console/review/" + id + "?done=resolved");
        } catch (IllegalArgumentException e) {
            show(rc, id, 400, null, e.getMessage());
        } catch (ReviewItemClosedException e) {
            show(rc, id, e.status(), null, e.getMessage());
        } catch (ReviewResolutionFailedException e) {
            show(rc, id, e.reason() == ReviewResolutionFailedException.Reason.WRITE_FAILED ? 502 : 409, null, e.getMessage());
        }
    }

    @Route(path = "/console/review/:id/discard", methods = Route.HttpMethod.POST)
    @Blocking
    void discard(RoutingContext rc) throws SQLException {
        long id = ConsoleForms.id(rc);
        try {
            queue.discard(id, responder.user(), ConsoleForms.param(rc, "reason"));
            responder.seeOther(rc, "/console/review/" + id + "?done=discarded");
        } catch (ReviewItemClosedException e) {
            show(rc, id, e.status(), null, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void show(RoutingContext rc, long id, int status, String done, String error) throws SQLException {
        ReviewItem item = queue.find(id).orElse(null);
        if (item == null) {
            responder.notFound(rc, "review item", id);
            return;
        }
        Map<String, Object> shown = view.of(item);
        Map<String, Object> data = new HashMap<>(shown);
        // A two-way conflict is decided once for the record: the other direction's open fields too.
        Map<String, Object> fields = new java.util.LinkedHashMap<>((Map<String, Object>) shown.get("fields"));
        for (ReviewItem related : (List<ReviewItem>) shown.get("related")) {
            if ("open".equals(related.status()) && "conflict".equals(related.kind())) {
                ((Map<String, Object>) view.of(related).get("fields")).forEach(fields::putIfAbsent);
            }
        }
        data.put("fields", fields);
        data.put("fieldNames", new ArrayList<>(fields.keySet()));
        data.put("confidence", ((Map<String, Object>) queue.payload(id).getOrDefault("context", Map.of())).get("confidence"));
        data.put("done", done);
        data.put("error", error);
        // Only who may act is given the inputs of a decision: a viewer reads the values.
        data.put("deciding", "open".equals(item.status()) && responder.mayAct());
        responder.page(rc, status, "review-item", "review", data);
    }
}
