package io.syncline.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A MariaDB server of the tests' own, for what the machine's shared server may not be set up
 * for: the row-format binary log ({@code log_bin}, {@code binlog_format=ROW}, a {@code server_id}),
 * which change data capture reads. The first use in a test JVM makes its data folder under
 * {@code target/private-mariadb} ({@code mariadb-install-db}) and starts {@code mariadbd} on a
 * free port of 127.0.0.1 with its own socket; later uses in the same JVM share it, and the JVM's
 * end stops it and removes its folder. User {@value #USER} has an empty password there. Nothing of
 * the shared server (its configuration, its uptime) is touched.
 */
public final class PrivateMariaDb {

    public static final String USER = "root";
    private static final Path HOME = Path.of("target", "private-mariadb").toAbsolutePath();
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static PrivateMariaDb started;

    private final Process process;
    private final int port;

    private PrivateMariaDb(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The JDBC URL of {@code database} on the private server, started on first use. */
    public static String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + server().port + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, "");
    }

    /** Runs statements on the server, in no database. */
    public static void execute(String... statements) {
        try (Connection connection = connect(""); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Statement on the private MariaDB failed: " + e.getMessage(), e);
        }
    }

    private static synchronized PrivateMariaDb server() {
        if (started == null) {
            started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "private-mariadb-stop"));
        }
        return started;
    }

    private static PrivateMariaDb start() {
        Path data = HOME.resolve("data");
        stopLeftover();
        ServerCommand.delete(HOME);
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create " + data, e);
        }
        // --no-defaults: nothing of the machine's my.cnf; the server's account is the tests' own (root may be named, and is)
        String account = System.getProperty("user.name");
        ServerCommand.run(BOUND, List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=" + account,
                "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
        int port = ServerCommand.freePort();
        Process process;
        try {
            process = new ProcessBuilder("mariadbd", "--no-defaults", "--user=" + account, "--datadir=" + data, "--port=" + port,
                    "--bind-address=127.0.0.1", "--socket=" + HOME.resolve("mariadb.sock"),
                    "--pid-file=" + HOME.resolve("mariadb.pid"), "--log-error=" + HOME.resolve("error.log"),
                    "--server-id=1", "--log-bin=" + data.resolve("mariadb-bin"), "--binlog-format=ROW",
                    "--binlog-row-image=FULL", "--skip-name-resolve", "--innodb-buffer-pool-size=64M",
                    "--innodb-flush-log-at-trx-commit=2")
                    .redirectErrorStream(true).redirectOutput(HOME.resolve("console.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start mariadbd (is MariaDB installed?)", e);
        }
        PrivateMariaDb server = new PrivateMariaDb(process, port);
        await("the private MariaDB accepts connections").atMost(BOUND).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("mariadbd ended (" + process.exitValue() + "): see " + HOME.resolve("error.log"));
                    }
                    try (Connection connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", USER, "")) {
                        return connection.isValid(2);
                    }
                });
        return server;
    }

    /** A server an earlier run left behind (its JVM killed), ended before its folder goes. */
    private static void stopLeftover() {
        Path pid = HOME.resolve("mariadb.pid");
        if (!Files.exists(pid)) {
            return;
        }
        try {
            long id = Long.parseLong(Files.readString(pid).strip());
            ProcessHandle.of(id).filter(handle -> handle.info().command().orElse("").endsWith("mariadbd")).ifPresent(handle -> {
                handle.destroyForcibly();
                handle.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
            });
        } catch (IOException | NumberFormatException e) {
            // no readable pid: nothing to end
        }
    }

    /** Stops the server (a clean shutdown, within a bound) and removes its folder. */
    private void stop() {
        process.destroy();
        try {
            if (!process.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).handle((done, timeout) -> timeout == null).join()) {
                process.destroyForcibly();
                process.waitFor();
            }
            ServerCommand.delete(HOME);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            System.err.println("The private MariaDB did not stop cleanly: " + e.getMessage());
        }
    }
}
