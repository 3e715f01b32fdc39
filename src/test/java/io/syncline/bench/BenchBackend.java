package io.syncline.bench;

import org.flywaydb.core.Flyway;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the benchmarks that measure one connection's statements share: the state store's tables,
 * migrated with the application's migrations into the connection's default schema (they measure
 * statements, not the schema the tables live in), and the CPU of the PostgreSQL backend serving
 * the connection, read from {@code /proc} (so the server must run on this machine).
 */
public final class BenchBackend {

    private BenchBackend() {
    }

    /** The {@code index}th command-line argument as a number, {@code otherwise} when not given. */
    public static int argument(String[] args, int index, int otherwise) {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }

    /**
     * The database the bench script made (BENCH_DB_URL), else the test database's name with
     * {@code suffix} on the test server (SYNCLINE_TEST_DB_URL).
     */
    public static String url(String suffix) {
        return System.getenv().getOrDefault("BENCH_DB_URL", io.syncline.testsupport.TestDatabase.siblingUrl(suffix));
    }

    /** The database user (PGUSER, as for psql). */
    public static String user() {
        return System.getenv().getOrDefault("PGUSER", "postgres");
    }

    /** Migrates the database at {@code url} with the application's PostgreSQL migrations. */
    public static void migrate(String url, String user) {
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration", "classpath:db/postgresql")
                .load().migrate();
    }

    public static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The backend's CPU so far in clock ticks (user + system), from /proc: the server must run on this machine. */
    public static long backendTicks(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the PostgreSQL backend's CPU from /proc/" + pid
                    + "/stat: the benchmark needs the server on this machine", e);
        }
    }

    /** Clock ticks a second, as the bench script passes them (getconf CLK_TCK). */
    public static long ticksPerSecond() {
        return Long.parseLong(System.getenv().getOrDefault("BENCH_CLK_TCK", "100"));
    }

    /**
     * Starts measuring a round on this thread and the backend {@code pid}: the meter's
     * {@link Meter#perEvent} gives what the round cost since.
     */
    public static Meter meter(int pid) {
        return new Meter(pid, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(), backendTicks(pid),
                System.nanoTime());
    }

    /** What a round has cost since it started, measured from this thread. */
    public record Meter(int pid, long jvmNanos, long serverTicks, long wallNanos) {

        /** Per event, in µs: this thread's CPU, the backend's CPU, the wall time. */
        public double[] perEvent(double events) {
            return new double[]{
                    (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - jvmNanos) / 1_000.0 / events,
                    (backendTicks(pid) - serverTicks) * 1_000_000.0 / ticksPerSecond() / events,
                    (System.nanoTime() - wallNanos) / 1_000.0 / events};
        }
    }

    /** The median of the {@code index}th figure of each round. */
    public static double median(List<double[]> costs, int index) {
        double[] values = costs.stream().mapToDouble(cost -> cost[index]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
