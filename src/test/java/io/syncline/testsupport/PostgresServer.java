package io.syncline.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Stops and starts the local PostgreSQL server the tests run on, with Debian's
 * {@code pg_ctlcluster --skip-systemctl-redirect <version> <cluster> stop|start} (the version is
 * the newest under {@code /etc/postgresql} holding the cluster). The server is shared with other
 * tests and people, so tests only do this when {@value #RESTART_SWITCH}{@code =true} (CI sets it).
 * {@code SYNCLINE_TEST_POSTGRES_CLUSTER} names another cluster than {@code main}, for a server
 * of one's own (with {@code SYNCLINE_TEST_DB_URL} pointing at its port).
 */
public final class PostgresServer {

    public static final String RESTART_SWITCH = "SYNCLINE_TEST_RESTART_POSTGRES";

    private static final Path CLUSTERS = Path.of("/etc/postgresql");

    private PostgresServer() {
    }

    /** Whether this run may restart the server ({@value #RESTART_SWITCH}=true). */
    public static boolean restartAllowed() {
        return "true".equalsIgnoreCase(TestDatabase.setting(RESTART_SWITCH, "false"));
    }

    /** Stops the server (fast shutdown: sessions are terminated, as in a real restart). */
    public static void stop() {
        ctl("stop");
    }

    /** Starts the server and waits until the database at {@code url} answers. */
    public static void start(String url) {
        ctl("start");
        await("PostgreSQL accepts connections again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> !TestDatabase.queryOn(url, "SELECT 1 AS up").isEmpty());
    }

    private static void ctl(String action) {
        String cluster = TestDatabase.setting("SYNCLINE_TEST_POSTGRES_CLUSTER", "main");
        List<String> command = List.of("pg_ctlcluster", "--skip-systemctl-redirect", version(cluster), cluster, action);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 90 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command) + " (is this Debian's PostgreSQL?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String version(String cluster) {
        try (Stream<Path> versions = Files.list(CLUSTERS)) {
            return versions.filter(version -> Files.isDirectory(version.resolve(cluster)))
                    .map(version -> version.getFileName().toString())
                    .max(Comparator.comparingDouble(PostgresServer::number))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL cluster '" + cluster + "' under " + CLUSTERS));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list " + CLUSTERS + ": is PostgreSQL installed from Debian packages?", e);
        }
    }

    private static double number(String version) {
        try {
            return Double.parseDouble(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
