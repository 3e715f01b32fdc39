package io.syncline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.config.SynclineConfig;
import io.syncline.idempotency.ProcessedKeyRepository;
import io.syncline.inbox.InboxRepository;
import io.syncline.matching.IdMapRepository;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import io.syncline.store.DeferredWrites;
import io.syncline.store.Parameters;
import io.syncline.store.Writes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an apply batch's held-back writes cost, sent the two ways: one JDBC batch per statement
 * (each row its own execution on the server, as before 2026-11-25) against one multi-row statement
 * per SQL ({@link DeferredWrites}). Each batch writes, for each of its events, what a new contact
 * leaves in the state store: the source's and the target's ID map links, the idempotency key, two
 * record states, the audit entry and the inbox event's completion, through the repositories the
 * application uses, and commits. The two ways take turns round by round on one connection, so
 * that both meet the same machine: what is compared is the JVM's CPU (the writing thread's) and
 * the PostgreSQL backend's CPU (its {@code /proc} entry, so the server must be on this machine)
 * per event, besides the wall time.
 *
 * <p>Run with {@code bench/held-back-writes.sh [batches a round] [rounds] [events a batch]}.
 */
public final class HeldBackWritesBenchmark {

    /** Contacts in the state store before the measured rounds. */
    private static final int SEEDED = 50_000;

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    private final RecordStateRepository states = new RecordStateRepository(mapper);
    private final AuditLog audit = new AuditLog(null, mapper);
    private final IdMapRepository idMap;
    private final ProcessedKeyRepository keys;
    private final InboxRepository inbox;
    private long nextInboxId = 1;

    private HeldBackWritesBenchmark(SynclineConfig config) {
        this.idMap = new IdMapRepository(null, config);
        this.keys = new ProcessedKeyRepository(null, config);
        // Only its completion is used, which needs neither a datasource nor the model.
        this.inbox = new InboxRepository(null);
    }

    public static void main(String[] args) throws Exception {
        int batches = BenchBackend.argument(args, 0, 500);
        int rounds = BenchBackend.argument(args, 1, 8);
        int events = BenchBackend.argument(args, 2, 8);
        String url = BenchBackend.url("_bench_writes");
        String user = BenchBackend.user();
        BenchBackend.migrate(url, user);
        SynclineConfig config = new SmallRyeConfigBuilder().withMapping(SynclineConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).build().getConfigMapping(SynclineConfig.class);
        HeldBackWritesBenchmark benchmark = new HeldBackWritesBenchmark(config);
        try (Connection connection = DriverManager.getConnection(url, user, "")) {
            benchmark.run(connection, batches, rounds, events);
        }
    }

    private void run(Connection connection, int batches, int rounds, int events) throws SQLException {
        int backend = BenchBackend.backendPid(connection);
        inboxEvents(connection, SEEDED + (long) 2 * (rounds + 1) * batches * events);
        seed(connection);
        System.out.printf("%d rounds of %d batches of %d new contacts' held-back writes, each way in turn%n", rounds, batches, events);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        // The first round of each way warms the JIT and the server's caches and is not counted.
        for (int round = 0; round <= rounds; round++) {
            for (String way : List.of("jdbc-batch", "multi-row")) {
                double[] cost = round(connection, backend, way, batches, events);
                if (round > 0) {
                    results.computeIfAbsent(way, key -> new ArrayList<>()).add(cost);
                    System.out.printf("round %d %-10s per event: JVM %5.1f µs, PostgreSQL %5.1f µs, wall %5.1f µs%n",
                            round, way, cost[0], cost[1], cost[2]);
                }
            }
        }
        results.forEach((way, costs) -> System.out.printf("median %-10s per event: JVM %5.1f µs, PostgreSQL %5.1f µs, wall %5.1f µs%n",
                way, BenchBackend.median(costs, 0), BenchBackend.median(costs, 1), BenchBackend.median(costs, 2)));
    }

    /** One round of {@code batches} batches written {@code way}; its cost per event in µs: JVM CPU, backend CPU, wall. */
    private double[] round(Connection connection, int backend, String way, int batches, int events) throws SQLException {
        BenchBackend.Meter meter = BenchBackend.meter(backend);
        connection.setAutoCommit(false);
        for (int batch = 0; batch < batches; batch++) {
            Writes writes = way.equals("multi-row") ? new DeferredWrites(connection) : new JdbcBatchWrites(connection);
            for (int event = 0; event < events; event++) {
                newContact(writes);
            }
            if (writes instanceof DeferredWrites deferred) {
                deferred.flush();
            } else {
                ((JdbcBatchWrites) writes).flush();
            }
            connection.commit();
        }
        connection.setAutoCommit(true);
        return meter.perEvent((double) batches * events);
    }

    /** What the apply route's stages hold back for one new contact, in the order they write it. */
    private void newContact(Writes writes) throws SQLException {
        String canonicalId = UUID.randomUUID().toString();
        String crmId = "crm-" + canonicalId.substring(0, 13);
        String billingId = "billing-" + canonicalId.substring(0, 13);
        long inboxId = nextInboxId++;
        Instant now = Instant.now();
        idMap.linkNew(writes, "contact", canonicalId, "crm", crmId);
        keys.claimWith(writes, "billing", "crm", "event-" + inboxId, inboxId);
        idMap.linkNew(writes, "contact", canonicalId, "billing", billingId);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("email", crmId + "@example.com");
        values.put("firstName", "Ada");
        values.put("lastName", "Lovelace " + inboxId);
        values.put("phone", "+4420794600" + (inboxId % 100));
        values.put("company", "Analytical Engines " + (inboxId % 1000));
        values.put("modifiedAt", now.toString());
        Map<String, RecordState.Provenance> provenance = new LinkedHashMap<>();
        values.keySet().forEach(field -> provenance.put(field, new RecordState.Provenance("crm", "run-" + inboxId)));
        states.save(writes,
                new RecordState("contact", canonicalId, "billing", billingId, "crm", crmId, "hash-" + inboxId, now, values,
                        "fingerprint-" + inboxId, provenance, false, now, "run-" + inboxId, null, null,
                        Map.of("crm", new RecordState.AppliedVersion(now, "hash-" + inboxId))),
                new RecordState("contact", canonicalId, "crm", crmId, "crm", crmId, "hash-" + inboxId, now, values,
                        null, Map.of(), false, now, "run-" + inboxId, null, null, null));
        audit.record(writes, new AuditEntry(AuditEntry.Action.CREATED, "contact", canonicalId, "crm", crmId, "billing",
                billingId, "run-" + inboxId, inboxId, "event-" + inboxId, "hash-" + inboxId, null, "matched by nothing"));
        inbox.complete(writes, inboxId);
    }

    /** The way before: each statement's rows in one JDBC batch, each row executed on its own by the server. */
    private static final class JdbcBatchWrites implements Writes {

        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new LinkedHashMap<>();
        private final Map<String, List<String>> named = new LinkedHashMap<>();

        JdbcBatchWrites(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void write(String sql, Row... rows) throws SQLException {
            for (Row row : rows) {
                add(sql, null, row);
            }
        }

        @Override
        public void writeNew(String sql, String what, Row row) throws SQLException {
            add(sql, what, row);
        }

        private void add(String sql, String what, Row row) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            row.bind(Parameters.at(statement, 0));
            statement.addBatch();
            named.computeIfAbsent(sql, key -> new ArrayList<>()).add(what);
        }

        void flush() throws SQLException {
            for (Map.Entry<String, PreparedStatement> statement : statements.entrySet()) {
                int[] counts = statement.getValue().executeBatch();
                List<String> whats = named.get(statement.getKey());
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0 && whats.get(i) != null) {
                        throw new SQLException(whats.get(i) + " exists already");
                    }
                }
                statement.getValue().close();
            }
        }
    }

    /**
     * Contacts written and analysed before the rounds, so that the planner sees tables of some
     * size, as a state store in service has them: analysed empty, their single-row statements'
     * generic plans read the whole table (a MERGE took 0.7 ms where it takes 0.05).
     */
    private void seed(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        for (int batch = 0; batch < SEEDED / 100; batch++) {
            DeferredWrites writes = new DeferredWrites(connection);
            for (int event = 0; event < 100; event++) {
                newContact(writes);
            }
            writes.flush();
            connection.commit();
        }
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE");
        }
    }

    /** Events for the completions to mark done, already claimed as a worker would have them. */
    private void inboxEvents(Connection connection, long count) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE inbox, id_map, processed_key, record_state, audit_log RESTART IDENTITY");
            statement.execute("INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id,"
                    + " payload, status) SELECT 'contact-crm-to-billing', 'direct:contact-crm-to-billing', 'contact', 'crm',"
                    + " 'crm-' || g, 'event-' || g, '{}', 'processing' FROM generate_series(1, " + count + ") g");
            statement.execute("VACUUM ANALYZE");
        }
    }
}
