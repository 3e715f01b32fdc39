package io.syncline.connector.jdbc;

import io.syncline.bench.BenchBackend;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.matching.MatchCandidate;
import io.syncline.matching.MatchResult;
import io.syncline.model.CanonicalField;
import io.syncline.model.ModelFile;
import io.syncline.store.DeferredWrites;
import io.syncline.store.Writes;
import io.syncline.testsupport.BuiltInSystemTypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The measure behind docs/adr/0004-set-based-apply.md: what the two stages that talk to the
 * target cost for a batch of new contacts, done per contact against done set-based. Per contact,
 * each is searched for with its own candidate query ({@link JdbcCandidateFinder#find}),
 * matched, and inserted with its own upsert. Set-based, the batch's contacts are searched for in
 * one query ({@link JdbcCandidateFinder#findAll}), each matched against its candidates and the
 * batch's contacts before it (so that two events of one batch that are the same person still
 * find each other), and inserted by one multi-row upsert. Both use the Quickstart's model
 * (routes/contacts.syncline.yaml) and its billing table, seeded with contacts first.
 *
 * <p>The two ways take turns round by round on one connection; what is compared is the JVM's CPU
 * (this thread's), the PostgreSQL backend's CPU and the wall time per contact. Camel's routing,
 * the other per-event cost set-based apply removes, is not part of this measurement.
 * It sits in this package because it drives the package's finder directly.
 *
 * <p>Run with {@code bench/set-based-match.sh [batches a round] [rounds] [events a batch]}.
 */
public final class SetBasedMatchBenchmark {

    private static final String ENTITY = "contact";
    private static final String SOURCE = "crm";
    private static final String TARGET = "billing";
    /** Contacts in billing's table before the measured rounds. */
    private static final int SEEDED = 40_000;
    private static final String CONSONANTS = "bcdfghjklmnprstvz";
    private static final String VOWELS = "aeiou";
    private static final SqlDialect DIALECT = StandardSqlDialect.POSTGRESQL;

    private final CompiledModel model;
    private final JdbcCandidateFinder finder;
    private final FieldContract contract;
    /** The upsert of a contact's row (its columns as the first contact's row has them), and each column's type. */
    private final String upsertSql;
    private final List<String> columns;
    private final List<CanonicalField.Type> types = new ArrayList<>();
    private long nextContact;
    private long candidatesRead;
    private long matched;

    private SetBasedMatchBenchmark(CompiledModel model) {
        this.model = model;
        this.finder = new JdbcCandidateFinder(model);
        this.contract = model.transformer().contract(ENTITY, TARGET);
        this.columns = List.copyOf(systemRow(model.transformer().toCanonical(ENTITY, SOURCE, payload(0))).keySet());
        this.upsertSql = DIALECT.upsert(contract.table(), contract.keyPath(), columns).sql();
        Map<String, CanonicalField.Type> byColumn = new HashMap<>();
        contract.fields().forEach(field -> byColumn.put(field.path(),
                model.transformer().entity(ENTITY).fields().get(field.field()).type()));
        byColumn.put(contract.delete().column(), CanonicalField.Type.TIMESTAMP);
        columns.forEach(column -> types.add(byColumn.get(column)));
    }

    public static void main(String[] args) throws Exception {
        int batches = BenchBackend.argument(args, 0, 300);
        int rounds = BenchBackend.argument(args, 1, 8);
        int events = BenchBackend.argument(args, 2, 8);
        String url = BenchBackend.url("_bench_match");
        String user = BenchBackend.user();
        BenchBackend.migrate(url, user);
        Path modelFile = Path.of("routes/contacts.syncline.yaml");
        CompiledModel model = new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                .compile(List.of(new ModelFile(modelFile.toString(), Files.readAllBytes(modelFile))));
        SetBasedMatchBenchmark benchmark = new SetBasedMatchBenchmark(model);
        try (Connection connection = DriverManager.getConnection(url, user, "")) {
            benchmark.run(connection, batches, rounds, events);
        }
    }

    private void run(Connection connection, int batches, int rounds, int events) throws SQLException {
        int backend = BenchBackend.backendPid(connection);
        seed(connection);
        System.out.printf("%d rounds of %d batches of %d new contacts: searched, matched and inserted each way in turn%n",
                rounds, batches, events);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        List<String> ways = List.of("per-event", "set-based");
        // The first round of each way warms the JIT and the server's caches and is not counted;
        // the ways swap places every round, so that neither always follows the other.
        for (int round = 0; round <= rounds; round++) {
            for (int turn = 0; turn < ways.size(); turn++) {
                String way = ways.get((round + turn) % ways.size());
                candidatesRead = 0;
                matched = 0;
                double[] cost = round(connection, backend, way, batches, events);
                if (round > 0) {
                    results.computeIfAbsent(way, key -> new ArrayList<>()).add(cost);
                    System.out.printf("round %d %-9s per contact: JVM %6.1f µs, PostgreSQL %6.1f µs, wall %6.1f µs"
                            + " (%.1f candidates read a contact, %d matched one)%n", round, way, cost[0], cost[1],
                            cost[2], candidatesRead / (double) (batches * events), matched);
                }
            }
        }
        results.forEach((way, costs) -> System.out.printf("median %-9s per contact: JVM %6.1f µs, PostgreSQL %6.1f µs,"
                + " wall %6.1f µs%n", way, BenchBackend.median(costs, 0), BenchBackend.median(costs, 1),
                BenchBackend.median(costs, 2)));
    }

    /** One round of {@code batches} batches done {@code way}; its cost per contact in µs: JVM CPU, backend CPU, wall. */
    private double[] round(Connection connection, int backend, String way, int batches, int events) throws SQLException {
        BenchBackend.Meter meter = BenchBackend.meter(backend);
        connection.setAutoCommit(false);
        for (int batch = 0; batch < batches; batch++) {
            List<CanonicalRecord> records = new ArrayList<>(events);
            for (int event = 0; event < events; event++) {
                records.add(model.transformer().toCanonical(ENTITY, SOURCE, payload(nextContact++)));
            }
            if (way.equals("set-based")) {
                setBased(connection, records);
            } else {
                perEvent(connection, records);
            }
            connection.commit();
        }
        connection.setAutoCommit(true);
        return meter.perEvent((double) batches * events);
    }

    /** As the apply route does it now: a query, a match and an upsert for each contact. */
    private void perEvent(Connection connection, List<CanonicalRecord> records) throws SQLException {
        Writes immediate = Writes.immediate(connection);
        for (CanonicalRecord record : records) {
            List<MatchCandidate> candidates = finder.find(connection, record, TARGET);
            candidatesRead += candidates.size();
            match(record, candidates);
            immediate.write(upsertSql, row(record));
        }
    }

    /**
     * Set-based: one query for the batch, each contact matched against its own candidates and
     * the batch's contacts before it, one multi-row upsert.
     */
    private void setBased(Connection connection, List<CanonicalRecord> records) throws SQLException {
        List<List<MatchCandidate>> found = finder.findAll(connection, records, TARGET);
        List<MatchCandidate> batchSoFar = new ArrayList<>(records.size());
        DeferredWrites writes = new DeferredWrites(connection);
        for (int i = 0; i < records.size(); i++) {
            CanonicalRecord record = records.get(i);
            List<MatchCandidate> candidates = new ArrayList<>(found.get(i));
            candidatesRead += candidates.size();
            candidates.addAll(batchSoFar);
            match(record, candidates);
            batchSoFar.add(new MatchCandidate(record.sourceId(), record.fields()));
            writes.write(upsertSql, row(record));
        }
        writes.flush();
    }

    /**
     * Matches the contact as the apply route would. The contacts are made to be new, but among
     * tens of thousands of made-up company names a few come within the fuzzy rule's reach, as in
     * the end-to-end benchmark; those are counted, and inserted all the same.
     */
    private void match(CanonicalRecord record, List<MatchCandidate> candidates) {
        if (model.matcher(ENTITY).match(record, TARGET, candidates).outcome() != MatchResult.Outcome.NONE) {
            matched++;
        }
    }

    /** The contact's billing row, bound as the JDBC target binds it (values by their canonical type). */
    private Writes.Row row(CanonicalRecord record) {
        Map<String, Object> row = systemRow(record);
        return parameters -> {
            for (int i = 0; i < columns.size(); i++) {
                Object value = row.get(columns.get(i));
                parameters.setObject(i + 1, value == null ? null : DIALECT.bind(value, types.get(i)));
            }
        };
    }

    /** The contact as billing's row: the contract's columns, and a live row's deletion mark cleared. */
    private Map<String, Object> systemRow(CanonicalRecord record) {
        Map<String, Object> row = model.transformer().toSystem(ENTITY, TARGET, record.fields());
        row.put(contract.delete().column(), null);
        return row;
    }

    /**
     * Contact {@code n} as the CRM posts it, the load generator's shape: e-mail and phone of its
     * own, a made-up company name, so that no contact matches another.
     */
    private static Map<String, Object> payload(long n) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", "c-" + n);
        contact.put("email", "contact-" + n + "@bench.example.com");
        contact.put("firstName", "Ada");
        contact.put("lastName", "Bench");
        contact.put("phone", String.format("020 7%03d %04d", n / 10_000 % 1_000, n % 10_000));
        contact.put("company", Map.of("name", company(n) + " Ltd"));
        contact.put("address", Map.of("city", "London"));
        contact.put("lifecycleStage", "customer");
        contact.put("updatedAt", "2024-03-01T10:00:00+01:00");
        return contact;
    }

    /** Two made-up words of seven letters, different for every n. */
    private static String company(long n) {
        SplittableRandom random = new SplittableRandom(n * 0x9E3779B97F4A7C15L);
        StringBuilder name = new StringBuilder();
        for (int letter = 0; letter < 15; letter++) {
            String from = letter % 8 == 7 ? " " : letter % 2 == 0 ? CONSONANTS : VOWELS;
            char c = from.charAt(random.nextInt(from.length()));
            name.append(letter % 8 == 0 ? Character.toUpperCase(c) : c);
        }
        return name.toString();
    }

    /** Billing's table with {@value #SEEDED} contacts, analysed, as a target in service has them. */
    private void seed(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("TRUNCATE demo_contact");
        }
        connection.setAutoCommit(false);
        for (int batch = 0; batch < SEEDED / 64; batch++) {
            DeferredWrites writes = new DeferredWrites(connection);
            for (int i = 0; i < 64; i++) {
                writes.write(upsertSql, row(model.transformer().toCanonical(ENTITY, SOURCE, payload(nextContact++))));
            }
            writes.flush();
            connection.commit();
        }
        connection.setAutoCommit(true);
        try (var statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE demo_contact");
        }
    }
}
