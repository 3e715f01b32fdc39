package io.syncline.console;

import io.agroal.api.AgroalDataSource;
import io.quarkus.vertx.web.Route;
import io.smallrye.common.annotation.Blocking;
import io.syncline.reconcile.ReconciliationService;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's first page: per entity and source system, events accepted, applied and failed in
 * the last hour and day, the inbox's depth and lag, new dead letters and open review items, each
 * linked to its list; the latest run of each reconciliation job; and a chart of applied events.
 */
@ApplicationScoped
public class OverviewRoutes {

    private final AgroalDataSource dataSource;
    private final ReconciliationService reconciliation;
    private final ConsoleResponder responder;

    public OverviewRoutes(AgroalDataSource dataSource, ReconciliationService reconciliation, ConsoleResponder responder) {
        this.dataSource = dataSource;
        this.reconciliation = reconciliation;
        this.responder = responder;
    }

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
        Map<String, Pair> pairs = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            Timestamp hour = Timestamp.from(now.minus(Duration.ofHours(1)));
            Timestamp day = Timestamp.from(now.minus(Duration.ofDays(1)));
            count(connection, pairs, "acceptedHour", "SELECT entity, source_system, count(*) FROM inbox WHERE received_at >= ?"
                    + " GROUP BY entity, source_system", hour);
            count(connection, pairs, "acceptedDay", "SELECT entity, source_system, count(*) FROM inbox WHERE received_at >= ?"
                    + " GROUP BY entity, source_system", day);
            count(connection, pairs, "appliedHour", "SELECT entity, source_system, count(*) FROM inbox WHERE status = 'done'"
                    + " AND finished_at >= ? GROUP BY entity, source_system", hour);
            count(connection, pairs, "appliedDay", "SELECT entity, source_system, count(*) FROM inbox WHERE status = 'done'"
                    + " AND finished_at >= ? GROUP BY entity, source_system", day);
            count(connection, pairs, "failedHour", "SELECT entity, source_system, count(*) FROM dead_letter WHERE first_failed_at >= ?"
                    + " GROUP BY entity, source_system", hour);
            count(connection, pairs, "failedDay", "SELECT entity, source_system, count(*) FROM dead_letter WHERE first_failed_at >= ?"
                    + " GROUP BY entity, source_system", day);
            count(connection, pairs, "depth", "SELECT entity, source_system, count(*) FROM inbox WHERE status IN ('pending', 'processing')"
                    + " GROUP BY entity, source_system");
            count(connection, pairs, "deadLetters", "SELECT entity, source_system, count(*) FROM dead_letter WHERE status = 'new'"
                    + " GROUP BY entity, source_system");
            count(connection, pairs, "reviewItems", "SELECT entity, source_system, count(*) FROM review_item WHERE status = 'open'"
                    + " GROUP BY entity, source_system");
            try (PreparedStatement select = connection.prepareStatement("SELECT entity, source_system, min(received_at) FROM inbox"
                    + " WHERE status IN ('pending', 'processing') GROUP BY entity, source_system");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pair(pairs, rows.getString(1), rows.getString(2)).lagSeconds =
                            Math.max(0, Duration.between(rows.getTimestamp(3).toInstant(), now).toSeconds());
                }
            }
        }
        Map<String, Object> data = new HashMap<>();
        data.put("pairs", pairs.values());
        data.put("runs", reconciliation.runs().list(null, null, 20));
        data.put("chart", AppliedChart.lastDay(dataSource, now));
        responder.page(rc, 200, "overview", "overview", data);
    }

    private static Pair pair(Map<String, Pair> pairs, String entity, String system) {
        String entityName = entity == null ? "—" : entity;
        String systemName = system == null ? "—" : system;
        return pairs.computeIfAbsent(entityName + "\u0000" + systemName, key -> new Pair(entityName, systemName));
    }

    private static void count(Connection connection, Map<String, Pair> pairs, String name, String sql, Timestamp... since)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < since.length; i++) {
                select.setTimestamp(i + 1, since[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    pair(pairs, rows.getString(1), rows.getString(2)).counts.put(name, rows.getLong(3));
                }
            }
        }
    }
}
