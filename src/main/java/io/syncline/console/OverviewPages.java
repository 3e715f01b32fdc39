package io.syncline.console;

import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.driftfix.SchemaDriftAdmin;
import io.syncline.inbox.InboxCounts;
import io.syncline.reconcile.ReconciliationService;
import io.syncline.review.ReviewQueueRepository;
import io.syncline.store.BySource;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's first page: per entity and source system, events accepted, applied and failed in
 * the last hour and day, the inbox's depth and lag, new dead letters and open review items, each
 * linked to its list; the mappings a schema drift pauses, with the proposed rename and the buttons
 * that end the pause ({@link SchemaDriftPages}); the latest run of each reconciliation job; and a
 * chart of applied events.
 */
@ApplicationScoped
public class OverviewPages {

    @Inject
    InboxCounts inbox;
    @Inject
    DeadLetterRepository deadLetters;
    @Inject
    ReviewQueueRepository reviewQueue;
    @Inject
    ReconciliationService reconciliation;
    @Inject
    SchemaDriftAdmin drifts;
    @Inject
    ConsoleResponder responder;

    /** One row of the overview: an entity as one system sends it. */
    @io.quarkus.qute.TemplateData
    public static final class Pair {

        public final String entity;
        public final String system;
        public final Map<String, Long> counts = new HashMap<>();
        public Long lagSeconds;

        Pair(String entity, String system) {
            this.entity = entity;
            this.system = system;
        }

        public long count(String name) {
            return counts.getOrDefault(name, 0L);
        }
    }

    @Route(path = "/console", methods = Route.HttpMethod.GET)
    @Blocking
    void overview(RoutingContext rc) throws SQLException {
        Instant now = Instant.now();
        Instant hour = now.minus(Duration.ofHours(1));
        Instant day = now.minus(Duration.ofDays(1));
        Map<String, Pair> pairs = new TreeMap<>();
        count(pairs, "acceptedHour", inbox.acceptedSince(hour));
        count(pairs, "acceptedDay", inbox.acceptedSince(day));
        count(pairs, "appliedHour", inbox.appliedSince(hour));
        count(pairs, "appliedDay", inbox.appliedSince(day));
        count(pairs, "failedHour", deadLetters.failedSince(hour));
        count(pairs, "failedDay", deadLetters.failedSince(day));
        count(pairs, "depth", inbox.waiting());
        count(pairs, "waitingForParents", inbox.waitingForParents());
        count(pairs, "deadLetters", deadLetters.newLetters());
        count(pairs, "reviewItems", reviewQueue.openItems());
        for (BySource<Instant> oldest : inbox.oldestWaiting()) {
            pair(pairs, oldest.entity(), oldest.sourceSystem()).lagSeconds =
                    Math.max(0, Duration.between(oldest.value(), now).toSeconds());
        }
        Map<String, Object> data = new HashMap<>();
        data.put("pairs", pairs.values());
        data.put("drifts", drifts.list().stream().filter(view -> view.drift().paused()).toList());
        data.put("driftDone", ConsoleForms.param(rc, "drift"));
        data.put("runs", reconciliation.runs().list(null, null, 20));
        data.put("chart", AppliedChart.lastDay(inbox, now));
        responder.page(rc, 200, "overview", "overview", data);
    }

    private static Pair pair(Map<String, Pair> pairs, String entity, String system) {
        String entityName = entity == null ? "—" : entity;
        String systemName = system == null ? "—" : system;
        return pairs.computeIfAbsent(entityName + "\u0000" + systemName, key -> new Pair(entityName, systemName));
    }

    private static void count(Map<String, Pair> pairs, String name, List<BySource<Long>> counts) {
        for (BySource<Long> count : counts) {
            pair(pairs, count.entity(), count.sourceSystem()).counts.put(name, count.value());
        }
    }
}
