package io.syncline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.quarkus.bootstrap.logging.InitialConfigurator;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.connector.jdbc.JdbcKeysetPuller;
import io.syncline.connector.jdbc.JdbcMappingSettings;
import io.syncline.connector.spi.SqlDatabase;
import io.syncline.connector.spi.SqlDatabases;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.reconcile.Reconciler;
import io.syncline.reconcile.ReconciliationRun;
import io.syncline.reconcile.RunTrigger;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.flywaydb.core.Flyway;
import org.jboss.logmanager.LogContext;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;

/**
 * The reconciliation benchmarks of bench/reconcile.sh, not run by the tests.
 * <ol>
 *   <li>{@code full}: one reconciliation of {@code bench_a_contact} against {@code bench_b_contact}
 *       (0.1 % differences), timed against a plain FULL OUTER JOIN of the same tables in the same
 *       run, with the peak heap sampled while it runs;</li>
 *   <li>{@code bisection}: {@code bisect_contact} of one database against {@code bisect_contact} of
 *       another (0.01 % differences) with {@code strategy: bisection}, timed against a
 *       {@code count(*)} of both tables in the same run, then the same pair with a full pull;</li>
 *   <li>{@code maintained}: the same pair with {@code checksums: maintained}: the first run installs the
 *       triggers, then a day's changes are written through them and a second run is timed against
 *       {@code count(*)}; what the triggers cost a writer is timed before and after the install.</li>
 * </ol>
 * Arguments: the first database's URL, the user, the second database's URL, and which case
 * ({@code full}, {@code bisection}, {@code maintained} or {@code all}, the default, which runs them in that order).
 */
public final class ReconcileBenchmark {

    private static final String MODEL = """
            systems:
              side_a: {type: jdbc, datasource: default}
              side_b: {type: jdbc, datasource: default}
              side_c: {type: jdbc, datasource: default}
              side_d: {type: jdbc, datasource: second}
            entities:
              contact:
                key: id
                master: side_a
                defaultRegion: GB
                fields:
                  id: {type: string}
                  email: {type: string}
                  firstName: {type: string}
                  lastName: {type: string}
                  phone: {type: string}
                  city: {type: string}
                  status: {type: string}
                  updatedAt: {type: timestamp}
                mappings:
                  side_a:
                    key: id
                    table: bench_a_contact
                    fields:
                      - {field: id, path: id}
                      - {field: email, path: email, transforms: [email]}
                      - {field: firstName, path: first_name, transforms: [trim]}
                      - {field: lastName, path: last_name, transforms: [trim]}
                      - {field: phone, path: phone, transforms: [{phone: {region: GB}}]}
                      - {field: city, path: city, transforms: [trim]}
                      - {field: status, path: status}
                      - {field: updatedAt, path: updated_at, transforms: [timestamp]}
                  side_b:
                    key: id
                    table: bench_b_contact
                    fields:
                      - {field: id, path: id}
                      - {field: email, path: email}
                      - {field: firstName, path: first_name}
                      - {field: lastName, path: last_name}
                      - {field: phone, path: phone}
                      - {field: city, path: city}
                      - {field: status, path: status}
                      - {field: updatedAt, path: updated_at}
                  side_c:
                    key: id
                    table: bisect_contact
                    fields:
                      - {field: id, path: id}
                      - {field: email, path: email, transforms: [trim, lowercase]}
                      - {field: firstName, path: first_name, transforms: [trim]}
                      - {field: lastName, path: last_name, transforms: [trim]}
                      - {field: phone, path: phone}
                      - {field: city, path: city, transforms: [trim]}
                      - {field: status, path: status}
                      - {field: updatedAt, path: updated_at}
                  side_d:
                    key: id
                    table: bisect_contact
                    fields:
                      - {field: id, path: id}
                      - {field: email, path: email}
                      - {field: firstName, path: first_name}
                      - {field: lastName, path: last_name}
                      - {field: phone, path: phone}
                      - {field: city, path: city}
                      - {field: status, path: status}
                      - {field: updatedAt, path: updated_at}
            reconciliations:
              bench:
                entity: contact
                sideA: side_a
                sideB: side_b
                pageSize: 5000
                tolerance: 1h
              bench-bisection:
                entity: contact
                sideA: side_c
                sideB: side_d
                strategy: bisection
                pageSize: 5000
                tolerance: 1h
              bench-bisection-maintained:
                entity: contact
                sideA: side_c
                sideB: side_d
                strategy: bisection
                checksums: maintained
                pageSize: 5000
                tolerance: 1h
              bench-bisection-pair-in-full:
                entity: contact
                sideA: side_c
                sideB: side_d
                pageSize: 5000
                tolerance: 1h
            """;

    /** The same comparison in one query: side A's formats normalised in SQL as its contract does in Java. */
    private static final String JOIN = "SELECT COUNT(*) FILTER (WHERE a.id IS NULL), COUNT(*) FILTER (WHERE b.id IS NULL),"
            + " COUNT(*) FILTER (WHERE a.id IS NOT NULL AND b.id IS NOT NULL AND (lower(trim(a.email)), a.first_name, a.last_name,"
            + " '+44' || substr(regexp_replace(a.phone, '\\D', '', 'g'), 2), a.city, a.status, a.updated_at::timestamptz)"
            + " IS DISTINCT FROM (b.email, b.first_name, b.last_name, b.phone, b.city, b.status, b.updated_at))"
            + " FROM bench_a_contact a FULL OUTER JOIN bench_b_contact b ON a.id = b.id";

    private ReconcileBenchmark() {
    }

    /** One timed reconciliation. */
    private record Measured(ReconciliationRun run, long millis, long cpuMillis, long peakHeap) {

        void print(String label) {
            System.out.printf("%s: run %d %s (%s%s), side A %d records (%d pulled), side B %d records (%d pulled); only in A %d,"
                    + " only in B %d, mismatched %d, equal %d, in flight %d%n", label, run.id(), run.status(), run.strategy(),
                    run.strategyNote() == null ? "" : ": " + run.strategyNote(), run.sideA().records(), run.sideA().pulled(),
                    run.sideB().records(), run.sideB().pulled(), run.counts().onlyInA(), run.counts().onlyInB(),
                    run.counts().mismatched(), run.counts().equal(), run.counts().inFlight());
        }
    }

    public static void main(String[] args) throws Exception {
        // Log as the application does: INFO and above, on the console. Without this, the Quarkus log
        // initialiser on the class path keeps every record of every level (the driver's FINEST ones
        // included, each rendering its statement's parameters) in its start-up queue for the whole run.
        // (The log context first: it installs the queue that the handlers are then set on.)
        LogContext.getLogContext().getLogger("").setLevel(Level.INFO);
        InitialConfigurator.DELAYED_HANDLER.setHandlers(new Handler[]{InitialConfigurator.createDefaultHandler()});
        String url = args[0];
        String user = args.length > 1 ? args[1] : "postgres";
        String secondUrl = args.length > 2 ? args[2] : url;
        String cases = args.length > 3 ? args[3] : "all";
        // The bench tables are there first: baseline below V1, then every migration.
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration", "classpath:db/postgresql").baselineOnMigrate(true)
                .baselineVersion("0").load().migrate();
        // Pooled, as the application pools its datasources: a run takes a dozen connections, and a new
        // PostgreSQL connection costs a few milliseconds that no run in production pays.
        AgroalDataSource store = dataSource(url, user);
        AgroalDataSource second = dataSource(secondUrl, user);
        Map<String, String> environment = Map.of("BENCH_DB_USER", user);
        CompiledModel model = new SyncModelCompiler(environment::get, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                .compile(List.of(new ModelFile("bench", MODEL.getBytes(StandardCharsets.UTF_8))));
        ObjectMapper mapper = new ObjectMapper();
        // side_d is the model's system on datasource "second"; every other side is on the store
        JdbcKeysetPuller.Connections jdbc = system -> ("side_d".equals(system) ? second : store).getConnection();
        JdbcKeysetPuller puller = new JdbcKeysetPuller(jdbc);
        SqlDatabases databases = system -> Optional.of(new SqlDatabase() {

            @Override
            public java.sql.Connection connect() throws java.sql.SQLException {
                return jdbc.open(system);
            }

            @Override
            public Login login() {
                throw new UnsupportedOperationException("the benchmark reads no database's log");
            }

            @Override
            public String table(io.syncline.model.SystemMapping mapping) {
                return JdbcMappingSettings.of(mapping).table();
            }
        });
        Reconciler reconciler = new Reconciler(() -> model, (name, system) -> puller, databases, store,
                (entity, system, endpoint, route, key, eventId, payload) -> {
                    throw new IllegalStateException("the benchmark only reports");
                },
                (entity, system, key) -> null,
                (entity, system, key, values, reason, context) -> {
                    throw new IllegalStateException("the benchmark only reports");
                }, mapper, Clock.systemUTC());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        if (cases.equals("all") || cases.equals("full")) {
            // BENCH_RUNS > 1 repeats the case in the same JVM: the first run pays for the JIT compiling
            // the staging path (C2 alone compiled for about 8 s of CPU on two vCPUs), which a service
            // that has run a reconciliation since it started no longer does.
            int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_RUNS", "1"));
            for (int i = 1; i <= runs; i++) {
                System.out.printf("load average before the full case (run %d of %d): %.2f%n", i, runs, os.getSystemLoadAverage());
                long joinBefore = timeJoin(store);
                Measured full = measure(reconciler, "bench", os);
                long joinAfter = timeJoin(store);
                full.print("full");
                double join = (joinBefore + joinAfter) / 2.0;
                System.out.printf("plain FULL OUTER JOIN: %d ms before, %d ms after (mean %.0f ms)%n", joinBefore, joinAfter, join);
                System.out.printf("reconciliation (run %d of %d in this JVM): %d ms = %.1f x the join; peak heap used %d MiB"
                        + " (max heap %d MiB); %d ms of CPU in this JVM; load average %.2f%n", i, runs, full.millis(),
                        full.millis() / join, full.peakHeap() / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024),
                        full.cpuMillis(), os.getSystemLoadAverage());
            }
        }
        if (cases.equals("all") || cases.equals("bisection")) {
            System.out.printf("load average before the bisection case: %.2f%n", os.getSystemLoadAverage());
            long countBefore = timeCounts(store, second);
            Measured bisection = measure(reconciler, "bench-bisection", os);
            long countAfter = timeCounts(store, second);
            bisection.print("bisection");
            double count = (countBefore + countAfter) / 2.0;
            System.out.printf("count(*) of both sides: %d ms before, %d ms after (mean %.0f ms)%n", countBefore, countAfter, count);
            System.out.printf("bisection: %d ms = %.1f x the counts; peak heap used %d MiB; %d ms of CPU in this JVM;"
                    + " load average %.2f%n", bisection.millis(), bisection.millis() / count,
                    bisection.peakHeap() / (1024 * 1024), bisection.cpuMillis(), os.getSystemLoadAverage());
            Measured pair = measure(reconciler, "bench-bisection-pair-in-full", os);
            pair.print("same pair, full pull");
            System.out.printf("same pair, full pull: %d ms = %.1f x the counts; %d ms of CPU in this JVM; load average %.2f%n",
                    pair.millis(), pair.millis() / count, pair.cpuMillis(), os.getSystemLoadAverage());
        }
        if (cases.equals("all") || cases.equals("maintained")) {
            maintained(reconciler, store, second, os);
        }
    }

    /** Installs maintained checksums with a first run, writes a day's changes through them, times a second run. */
    private static void maintained(Reconciler reconciler, AgroalDataSource store, AgroalDataSource second,
            com.sun.management.OperatingSystemMXBean os) throws Exception {
        System.out.printf("load average before the maintained case: %.2f%n", os.getSystemLoadAverage());
        long plainWrites = timeWrites(second);
        Measured install = measure(reconciler, "bench-bisection-maintained", os);
        install.print("maintained, first run (installs)");
        System.out.printf("maintained, first run: %d ms%n", install.millis());
        long keptWrites = timeWrites(second);
        System.out.printf("5000 single-row updates in one transaction on side D: %d ms without triggers, %d ms with%n",
                plainWrites, keptWrites);
        // A day's changes after the install: 20 more records of side D move city.
        try (Connection connection = second.getConnection(); Statement statement = connection.createStatement()) {
            int moved = statement.executeUpdate("UPDATE bisect_contact SET city = 'Moved' WHERE id IN (SELECT 'c-'"
                    + " || lpad((g * 49999)::text, 8, '0') FROM generate_series(1, 20) g)");
            System.out.printf("side D: %d records changed after the install%n", moved);
        }
        // Twice: the first run after the install in a JVM that has done little yet, then one as a replica that has
        // been running for a while would do it.
        for (String label : List.of("maintained, first", "maintained, second")) {
            long countBefore = timeCounts(store, second);
            Measured kept = measure(reconciler, "bench-bisection-maintained", os);
            long countAfter = timeCounts(store, second);
            kept.print(label);
            double count = (countBefore + countAfter) / 2.0;
            System.out.printf("count(*) of both sides: %d ms before, %d ms after (mean %.0f ms)%n", countBefore, countAfter, count);
            System.out.printf("%s: %d ms = %.2f x the counts; peak heap used %d MiB; %d ms of CPU in this JVM;"
                    + " load average %.2f%n", label, kept.millis(), kept.millis() / count, kept.peakHeap() / (1024 * 1024),
                    kept.cpuMillis(), os.getSystemLoadAverage());
        }
    }

    /** 5,000 single-row updates that change nothing, in one transaction (no commit cost): what a writer pays per statement. */
    private static long timeWrites(AgroalDataSource side) throws Exception {
        try (Connection connection = side.getConnection();
                java.sql.PreparedStatement update = connection.prepareStatement("UPDATE bisect_contact SET status = status WHERE id = ?")) {
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            for (int i = 1; i <= 5000; i++) {
                update.setString(1, String.format("c-%08d", i * 97));
                update.executeUpdate();
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            connection.commit();
            return millis;
        }
    }

    private static AgroalDataSource dataSource(String url, String user) throws java.sql.SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(pool -> pool
                .maxSize(24).connectionFactoryConfiguration(factory -> factory.jdbcUrl(url).principal(new NamePrincipal(user)))));
    }

    private static Measured measure(Reconciler reconciler, String job, com.sun.management.OperatingSystemMXBean os) throws Exception {
        AtomicLong peak = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, 20, TimeUnit.MILLISECONDS);
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        ReconciliationRun run = reconciler.run(job, RunTrigger.manual(false));
        long millis = (System.nanoTime() - started) / 1_000_000;
        long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
        sampler.shutdownNow();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        return new Measured(run, millis, cpuMillis, peak.get());
    }

    private static long timeJoin(AgroalDataSource store) throws Exception {
        long started = System.nanoTime();
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(JOIN)) {
            rows.next();
            System.out.printf("join: only in A %d, only in B %d, mismatched %d%n", rows.getLong(2), rows.getLong(1), rows.getLong(3));
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** {@code count(*)} of side C's table, then side D's: the least a comparison that reads both must do. */
    private static long timeCounts(AgroalDataSource first, AgroalDataSource second) throws Exception {
        long started = System.nanoTime();
        long[] counts = new long[2];
        int i = 0;
        for (AgroalDataSource side : List.of(first, second)) {
            try (Connection connection = side.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM bisect_contact")) {
                rows.next();
                counts[i++] = rows.getLong(1);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("count(*): side C %d, side D %d%n", counts[0], counts[1]);
        return millis;
    }
}
