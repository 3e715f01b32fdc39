package io.syncline.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The packaged application ({@link PackagedArtifact}: the jar, or the native executable of a
 * native build) run as a separate process in the production profile, configured only through environment variables, the way
 * a container runs it. Output goes to a file under {@code target/} for inspection.
 */
public final class PackagedApplication implements AutoCloseable {

    /**
     * The keys production refuses to start without, given to every run unless its environment
     * names them itself (with an empty value to leave one unset).
     */
    public static final Map<String, String> PRODUCTION_KEYS = Map.of(
            "SYNCLINE_CONSOLE_SESSION_KEY", "packaged-it-console-session-key",
            "SYNCLINE_PRIVACY_DIGEST_KEY", "packaged-it-privacy-digest-key");

    private final Process process;
    private final Path log;
    private final int port;
    private final Path directory;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;

    private PackagedApplication(Process process, Path log, int port, Path directory, Map<String, String> environment,
            List<String> jvmOptions) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.directory = directory;
        this.environment = environment;
        this.jvmOptions = jvmOptions;
    }

    /**
     * The environment of the demo sync on the state store at {@code storeUrl} (the test server's
     * user), for tests of outages: a lease of 3 s, and retries every second at most, up to
     * {@code maxAttempts}, so that outages of tens of seconds heal without a dead letter.
     */
    public static Map<String, String> outageEnvironment(String storeUrl, String adminPassword, int maxAttempts) {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", storeUrl,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password(),
                "SYNCLINE_ADMIN_PASSWORD", adminPassword,
                "SYNCLINE_ROUTES_LOCATION", "routes",
                "SYNCLINE_INBOX_LEASE", "3s",
                "SYNCLINE_INBOX_RETRY_DELAY", "200ms",
                "SYNCLINE_INBOX_MAX_RETRY_DELAY", "1s",
                "SYNCLINE_INBOX_MAX_ATTEMPTS", Integer.toString(maxAttempts));
    }

    /** Starts the jar with the given environment (on top of a free HTTP port) and JVM options. */
    public static PackagedApplication start(String name, Map<String, String> environment, List<String> jvmOptions)
            throws IOException {
        return launch(name, freePort(), Path.of(""), Map.copyOf(environment), List.copyOf(jvmOptions));
    }

    /**
     * Starts the jar in {@code directory} with no datasource configured, as a newcomer runs it:
     * no {@code QUARKUS_DATASOURCE_*} variable reaches it, so it keeps its state in the embedded
     * store under that directory.
     */
    public static PackagedApplication startEmbedded(String name, Path directory, Map<String, String> environment)
            throws IOException {
        Files.createDirectories(directory);
        return launch(name, freePort(), directory, Map.copyOf(environment), List.of());
    }

    /**
     * Starts the application again as before, on the same port, as a container restarted by
     * Kubernetes would be: senders keep posting to the same address. Output goes to
     * {@code target/<name>.log}.
     */
    public PackagedApplication restart(String name) throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("The application (pid " + process.pid() + ") is still running");
        }
        return launch(name, port, directory, environment, jvmOptions);
    }

    private static PackagedApplication launch(String name, int port, Path directory, Map<String, String> environment,
            List<String> jvmOptions) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(PackagedArtifact.built().command(jvmOptions));
        if (!directory.toString().isEmpty()) {
            // a run in a directory of its own is a newcomer's: no datasource from this JVM's environment
            builder.directory(directory.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("QUARKUS_DATASOURCE_"));
        }
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().putAll(PRODUCTION_KEYS);
        builder.environment().putAll(environment);
        // an empty value leaves the variable unset, as a Secret that lacks the key would
        builder.environment().values().removeIf(String::isEmpty);
        builder.redirectErrorStream(true);
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        builder.redirectOutput(log.toFile());
        return new PackagedApplication(builder.start(), log, port, directory, environment, jvmOptions);
    }

    /**
     * Kills the JVM with SIGKILL, as the kernel's OOM killer or a node failure would: no shutdown
     * hook, no graceful stop, open transactions and in-flight requests cut off. The process is
     * the {@code java} launched by {@link #start} itself (no shell in between), so the signal
     * reaches the application. Returns its exit code once it is gone (137 = 128 + SIGKILL).
     */
    public int kill() throws InterruptedException {
        String command = process.info().command().orElse("");
        String expected = PackagedArtifact.built().processName();
        if (!Path.of(command).getFileName().toString().equals(expected)) {
            throw new IllegalStateException("Process " + process.pid() + " is '" + command + "', not the application's " + expected);
        }
        process.destroyForcibly();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("Process " + process.pid() + " survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM, as Kubernetes does when it stops a pod, and waits up to {@code atMost} for the
     * JVM to exit. Returns how long it took; fails if it is still running then.
     */
    public Duration stop(Duration atMost) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Process " + process.pid() + " still ran " + atMost + " after SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Waits (at most 90 s) until readiness answers 200; {@code context} heads the failure message. */
    public void awaitReady(String context) {
        org.awaitility.Awaitility.await(context + ": the application becomes ready").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).until(() -> get("/q/health/ready") == 200);
    }

    /**
     * {@link #awaitReady}, and if it fails, stops the application and closes {@code alongside}
     * (what was started for it) before the failure goes on.
     */
    public void awaitReadyOrClose(String context, AutoCloseable... alongside) throws Exception {
        try {
            awaitReady(context);
        } catch (RuntimeException | Error e) {
            close();
            for (AutoCloseable other : alongside) {
                other.close();
            }
            throw e;
        }
    }

    /** How many bytes the application has written to its log so far: where {@link #logFrom} starts. */
    public long logSize() throws IOException {
        return Files.size(log);
    }

    /** What the application has written to its log since {@code offset} bytes. */
    public String logFrom(long offset) throws IOException {
        byte[] written = Files.readAllBytes(log);
        return new String(written, (int) Math.min(offset, written.length), (int) Math.max(0, written.length - offset),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    public Process process() {
        return process;
    }

    /** Status code of a GET, or -1 while nothing listens. */
    public int get(String path) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
