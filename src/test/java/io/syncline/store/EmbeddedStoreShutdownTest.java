package io.syncline.store;

import io.syncline.testsupport.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded state store (H2, the URLs of application.properties) still answers while the JVM
 * shuts down: Camel drains its in-flight work from a shutdown hook, and H2 by default closes the
 * database from a hook of its own at the same moment, failing that work and the store's probe.
 * Run in a JVM of its own, which exits.
 */
class EmbeddedStoreShutdownTest {

    private static final String PROPERTIES = "src/main/resources/application.properties";

    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"quarkus.datasource.jdbc.url", "%dev.quarkus.datasource.jdbc.url"})
    void theEmbeddedStoreAnswersFromAShutdownHook(String key) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(PROPERTIES))) {
            properties.load(in);
        }
        String configured = properties.getProperty(key);
        assertThat(configured).startsWith("jdbc:h2:file:./");
        // the same URL, on a database file of this test's
        String url = "jdbc:h2:file:" + folder.resolve("store") + configured.substring(configured.indexOf(';'));

        Process child = new ProcessBuilder(ChildJvm.command(ExitingApplication.class, url)).redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as("what the shutdown hook got from %s", url).contains("answered").doesNotContain("failed");
    }

    /**
     * Opens the store, then exits; a shutdown hook, as Camel's stop, asks it on the open connection
     * once H2's own hook, if the URL made H2 register one, has run.
     */
    public static final class ExitingApplication {

        public static void main(String[] args) throws Exception {
            String url = args[0];
            Connection open = DriverManager.getConnection(url);
            Optional<Thread> h2Hook = h2ShutdownHook();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    h2Hook.ifPresent(hook -> await("H2's shutdown hook has run").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(10)).until(() -> hook.getState() == Thread.State.TERMINATED));
                    // a connection the pool holds
                    try (Statement statement = open.createStatement()) {
                        statement.execute("SELECT 1");
                    }
                    System.out.println("answered");
                } catch (Exception e) {
                    System.out.println("failed: " + e.getMessage());
                }
            }));
            System.out.println("open: " + !open.isClosed());
            System.exit(0);
        }

        /**
         * The hook H2 registers to close its databases as the JVM exits (unless the URL says
         * {@code DB_CLOSE_ON_EXIT=FALSE}): one thread for all, registered with the first database
         * that asks for it. H2 does not publish it, so it is read from the class that holds it.
         */
        private static Optional<Thread> h2ShutdownHook() throws ReflectiveOperationException {
            Class<?> closer = Class.forName("org.h2.engine.OnExitDatabaseCloser");
            Field registered = closer.getDeclaredField("registered");
            Field instance = closer.getDeclaredField("INSTANCE");
            registered.setAccessible(true);
            instance.setAccessible(true);
            synchronized (closer) {
                return registered.getBoolean(null) ? Optional.of((Thread) instance.get(null)) : Optional.empty();
            }
        }
    }
}
