package io.syncline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.bootstrap.logging.InitialConfigurator;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.reconcile.Reconciler;
import io.syncline.reconcile.ReconciliationRun;
import io.syncline.reconcile.RunTrigger;
import io.syncline.reconcile.pull.JdbcKeysetPuller;
import io.syncline.reconcile.pull.RecordPullers;
import io.syncline.reconcile.pull.RestRecordPuller;
import io.syncline.sync.CompiledModel;
import io.syncline.sync.SyncModelCompiler;
import org.flywaydb.core.Flyway;
import org.jboss.logmanager.LogContext;
import org.postgresql.ds.PGSimpleDataSource;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;

/**
 * One reconciliation of {@code bench_a_contact} against {@code bench_b_contact} (filled by
 * bench/reconcile.sh), timed against a plain FULL OUTER JOIN of the same tables in the same
 * run, with the peak heap sampled while it runs. Run by bench/reconcile.sh, not by the tests.
 */
public final class ReconcileBenchmark {

    private static final String MODEL = """
            systems:
              side_a: {type: jdbc, url: "%1$s", username: {env: BENCH_DB_USER}}
              side_b: {type: jdbc, url: "%1$s", username: {env: BENCH_DB_USER}}
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
            reconciliations:
              bench:
                entity: contact
                sideA: side_a
                sideB: side_b
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

    public static void main(String[] args) throws Exception {
        // Log as the application does: INFO and above, on the console. Without this, the Quarkus log
        // initialiser on the class path keeps every record of every level (the driver's FINEST ones
        // included, each rendering its statement's parameters) in its start-up queue for the whole run.
        // (The log context first: it installs the queue that the handlers are then set on.)
        LogContext.getLogContext().getLogger("").setLevel(Level.INFO);
        InitialConfigurator.DELAYED_HANDLER.setHandlers(new Handler[] {InitialConfigurator.createDefaultHandler()});
        String url = args[0];
        String user = args.length > 1 ? args[1] : "postgres";
        // The bench tables are there first: baseline below V1, then every migration.
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").baselineOnMigrate(true)
                .baselineVersion("0").load().migrate();
        PGSimpleDataSource store = new PGSimpleDataSource();
        store.setURL(url);
        store.setUser(user);
        Map<String, String> environment = Map.of("BENCH_DB_USER", user);
        CompiledModel model = new SyncModelCompiler(environment::get, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty())
                .compile(List.of(new ModelFile("bench", MODEL.formatted(url).getBytes(StandardCharsets.UTF_8))));
        ObjectMapper mapper = new ObjectMapper();
        Reconciler reconciler = new Reconciler(() -> model, new RecordPullers(
                new JdbcKeysetPuller(JdbcKeysetPuller.Connections.of(name -> store, environment::get)),
                new RestRecordPuller(HttpClient.newHttpClient(), mapper, environment::get)), store,
                (entity, system, endpoint, route, key, eventId, payload) -> {
                    throw new IllegalStateException("the benchmark only reports");
                },
                (entity, system, key, values, reason, context) -> {
                    throw new IllegalStateException("the benchmark only reports");
                }, mapper, Clock.systemUTC());

        long joinBefore = timeJoin(store);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            var memory = ManagementFactory.getMemoryMXBean();
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        ReconciliationRun run = reconciler.run("bench", RunTrigger.manual(false));
        long reconcileMillis = (System.nanoTime() - started) / 1_000_000;
        long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
        sampler.interrupt();
        long joinAfter = timeJoin(store);

        System.out.printf("run %d: %s, side A %d records in %d pages, side B %d records; only in A %d, only in B %d,"
                        + " mismatched %d, equal %d, in flight %d%n", run.id(), run.status(), run.sideA().records(),
                run.sideA().pages(), run.sideB().records(), run.counts().onlyInA(), run.counts().onlyInB(),
                run.counts().mismatched(), run.counts().equal(), run.counts().inFlight());
        double join = (joinBefore + joinAfter) / 2.0;
        System.out.printf("plain FULL OUTER JOIN: %d ms before, %d ms after (mean %.0f ms)%n", joinBefore, joinAfter, join);
        System.out.printf("reconciliation: %d ms = %.1f x the join; peak heap used %d MiB (max heap %d MiB);"
                        + " %d ms of CPU in this JVM; load average %.2f%n", reconcileMillis, reconcileMillis / join,
                peak.get() / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024), cpuMillis, os.getSystemLoadAverage());
    }

    private static long timeJoin(PGSimpleDataSource store) throws Exception {
        long started = System.nanoTime();
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(JOIN)) {
            rows.next();
            System.out.printf("join: only in A %d, only in B %d, mismatched %d%n", rows.getLong(2), rows.getLong(1), rows.getLong(3));
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
