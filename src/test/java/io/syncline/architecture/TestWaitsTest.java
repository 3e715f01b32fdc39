package io.syncline.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test waits for what it waits for (a row, an answer, a metric, a file, a process's state) with
 * Awaitility, and checks that nothing happens for a while with {@code io.syncline.testsupport.Throughout};
 * it never sleeps for a guessed time. A sleep is left only where it is a stand-in's latency: what
 * a slow link or a slow provider would take, listed here with its reason and how many there are.
 */
class TestWaitsTest {

    private static final Path TESTS = Path.of("src/test/java");

    /** {@code Thread}'s sleep, or a {@code TimeUnit}'s (also statically imported), as called. */
    private static final Pattern SLEEP = Pattern.compile(
            "\\b(?:Thread|(?:TimeUnit\\.)?(?:NANOSECONDS|MICROSECONDS|MILLISECONDS|SECONDS|MINUTES|HOURS|DAYS))\\s*\\.\\s*sleep\\s*\\("
                    + "|import\\s+static\\s+java\\.lang\\.Thread\\.(?:sleep|\\*)\\s*;");

    /** File (under src/test/java) -> the sleeps it may hold, each a stand-in's latency. */
    private static final Map<String, Integer> STAND_IN_LATENCY = Map.ofEntries(
            // the latency the proxy adds to each chunk on request, and its accept loop's pause when out of sockets
            entry("io/syncline/testsupport/FaultProxy.java", 1),
            // the token endpoint's latency, which widens the race between replicas refreshing at once
            entry("io/syncline/testsupport/IntuitOAuthStub.java", 1),
            // each stage's round trip to a slow store: the time whose steps the heartbeat must not add up
            entry("io/syncline/inbox/InboxHeartbeatTest.java", 1));

    @Test
    void testsSleepOnlyAsAStandInsLatency() throws IOException {
        Map<String, Integer> sleeps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(TESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher sleep = SLEEP.matcher(Files.readString(file));
                while (sleep.find()) {
                    sleeps.merge(TESTS.relativize(file).toString().replace('\\', '/'), 1, Integer::sum);
                }
            }
        }
        assertThat(sleeps).as("sleeps in the tests, by file: wait with Awaitility for what the test waits for"
                + " (or Throughout for \"nothing happens meanwhile\"); a stand-in's latency goes in STAND_IN_LATENCY"
                + " with its reason").isEqualTo(new TreeMap<>(STAND_IN_LATENCY));
    }

    @Test
    void theSleepPatternFindsEachForm() {
        // each sample split in two, so that this file does not hold what it looks for
        assertThat(Stream.of("Thread.sl" + "eep(10)", "TimeUnit.SECONDS.sl" + "eep(1)", "MILLISECONDS.sl" + "eep(5)",
                "import static java.lang.Thread.sl" + "eep;", "Thread . sl" + "eep (1)"))
                .allSatisfy(code -> assertThat(SLEEP.matcher(code).find()).as(code).isTrue());
        assertThat(Stream.of("pg_sleep(0.05)", "sleep(latency)", "getSleep().getSeconds()"))
                .allSatisfy(code -> assertThat(SLEEP.matcher(code).find()).as(code).isFalse());
    }
}
