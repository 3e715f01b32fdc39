package io.syncline.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL 15 server of the tests' own, for what the machine's shared server may not be set
 * up for: logical decoding ({@code wal_level=logical}), which change data capture reads. The first
 * use in a test JVM makes a cluster under {@code target/private-postgres} ({@code initdb}, trust
 * authentication for user {@value #USER}) and starts it on a free port of 127.0.0.1; later uses
 * in the same JVM share it, and the JVM's end stops it and removes its folder. Nothing of the
 * shared server (its configuration, its uptime) is touched.
 *
 * <p>Run as root, the server runs as the {@value #ACCOUNT} account, since PostgreSQL refuses root.
 * The binaries are {@value #BIN}'s; {@code SYNCLINE_TEST_POSTGRES_BIN} names another folder.
 */
public final class PrivatePostgres {

    public static final String USER = "postgres";
    private static final String BIN = "/usr/lib/postgresql/15/bin";
    private static final String ACCOUNT = "postgres";
    private static final Path HOME = Path.of("target", "private-postgres").toAbsolutePath();
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static PrivatePostgres started;

    private final Path data;
    private final int port;

    private PrivatePostgres(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    /** The JDBC URL of {@code database} on the private server, started on first use. */
    public static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server().port + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, "");
    }

    /** Creates {@code database} on the private server, dropped first when {@code fresh}. */
    public static void ensureDatabase(String database, boolean fresh) {
        TestDatabase.ensureDatabase(url(database), USER, "", fresh);
    }

    private static synchronized PrivatePostgres server() {
        if (started == null) {
            started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "private-postgres-stop"));
        }
        return started;
    }

    private static PrivatePostgres start() {
        String bin = TestDatabase.setting("SYNCLINE_TEST_POSTGRES_BIN", BIN);
        Path data = HOME.resolve("data");
        // a server an earlier run left behind (its JVM killed) is stopped before its folder goes
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                ServerCommand.run(BOUND, ServerCommand.as(ACCOUNT, List.of(bin + "/pg_ctl", "-D", data.toString(), "-m", "immediate",
                        "-w", "-t", "30", "stop")));
            } catch (IllegalStateException e) {
                // it was not running
            }
        }
        ServerCommand.delete(HOME);
        try {
            Files.createDirectories(data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create " + data, e);
        }
        ServerCommand.own(HOME, ACCOUNT);
        ServerCommand.run(BOUND, ServerCommand.as(ACCOUNT, List.of(bin + "/initdb", "-D", data.toString(), "-U", USER,
                "-A", "trust", "-E", "UTF8", "--no-sync")));
        int port = ServerCommand.freePort();
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c wal_level=logical"
                + " -c max_replication_slots=20 -c max_wal_senders=20 -c fsync=off -c shared_buffers=32MB";
        // pg_ctl -w returns once the server accepts connections, or fails after -t seconds
        ServerCommand.run(BOUND, ServerCommand.as(ACCOUNT, List.of(bin + "/pg_ctl", "-D", data.toString(), "-l",
                HOME.resolve("server.log").toString(), "-o", options, "-w", "-t", "45", "start")));
        return new PrivatePostgres(data, port);
    }

    /** Stops the server (fast: sessions are ended) and removes its folder. */
    private void stop() {
        String bin = TestDatabase.setting("SYNCLINE_TEST_POSTGRES_BIN", BIN);
        try {
            ServerCommand.run(BOUND, ServerCommand.as(ACCOUNT, List.of(bin + "/pg_ctl", "-D", data.toString(), "-m", "fast",
                    "-w", "-t", "30", "stop")));
            ServerCommand.delete(HOME);
        } catch (IllegalStateException e) {
            System.err.println("The private PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
