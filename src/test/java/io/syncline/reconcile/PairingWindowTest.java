package io.syncline.reconcile;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What pairing before staging promises: the diff over what it stages is the diff over every
 * record (whatever the sides' orders and the window's size), equal pairs are not staged, and a
 * side that runs ahead waits instead of staging what the other side is about to pair.
 */
class PairingWindowTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @Test
    void equalPairsAreDroppedAndEverythingElseIsStagedOnItsOwnSide() throws Exception {
        PairingWindow window = new PairingWindow(100);
        List<StagedRecord> stagedA = new ArrayList<>(window.offer('A',
                List.of(record("k1", "x"), record("k2", "x"), record("k3", "x"))));
        List<StagedRecord> stagedB = new ArrayList<>(window.offer('B',
                List.of(record("k1", "x"), record("k2", "other"), record("k4", "x"))));
        // B's thread found k2 unequal: B stages its own now, A's comes back to A's thread.
        assertThat(keys(stagedB)).containsExactly("k2");
        Future<List<StagedRecord>> finishA = threads.submit(() -> window.finish('A'));
        stagedB.addAll(window.finish('B'));
        stagedA.addAll(finishA.get(5, TimeUnit.SECONDS));

        assertThat(keys(stagedA)).containsExactlyInAnyOrder("k2", "k3");
        assertThat(keys(stagedB)).containsExactlyInAnyOrder("k2", "k4");
        assertThat(window.paired('A')).isEqualTo(1);
        assertThat(window.paired('B')).isEqualTo(1);
    }

    @Test
    void aKeyASideHoldsTwiceIsStagedTwiceSoTheDiffCanJudgeIt() throws Exception {
        PairingWindow window = new PairingWindow(100);
        List<StagedRecord> stagedA = new ArrayList<>(window.offer('A', List.of(record("k1", "x"), record("k1", "x"))));
        stagedA.addAll(window.offer('A', List.of(record("k1", "y"))));
        window.leave('B');
        stagedA.addAll(window.finish('A'));

        assertThat(keys(stagedA)).containsExactly("k1", "k1", "k1");
    }

    @Test
    void aSideWhoseWindowIsFullWaitsForTheOtherInsteadOfStagingWhatItWouldPair() throws Exception {
        PairingWindow window = new PairingWindow(2);
        window.offer('A', List.of(record("k1", "x"), record("k2", "x")));
        Future<List<StagedRecord>> ahead = threads.submit(() -> window.offer('A', List.of(record("k3", "x"))));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !ahead.isDone());

        assertThat(window.offer('B', List.of(record("k1", "x")))).isEmpty();
        assertThat(ahead.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(window.offer('B', List.of(record("k2", "x"), record("k3", "x")))).isEmpty();
        assertThat(window.paired('A')).isEqualTo(3);
    }

    @Test
    void aSideThatLeavesReleasesTheSideWaitingForIt() throws Exception {
        PairingWindow window = new PairingWindow(1);
        window.offer('A', List.of(record("k1", "x")));
        Future<List<StagedRecord>> waiting = threads.submit(() -> window.offer('A', List.of(record("k2", "x"))));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        window.leave('B');
        assertThat(keys(waiting.get(5, TimeUnit.SECONDS))).containsExactly("k2");
        assertThat(keys(window.finish('A'))).containsExactly("k1");
    }

    @Test
    void whateverTheOrdersAndTheWindowTheDiffOfWhatIsStagedIsTheDiffOfEverySideHoldingEachKeyOnce() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            int capacity = 1 + random.nextInt(round % 2 == 0 ? 4 : 400);
            List<StagedRecord> sideA = new ArrayList<>();
            List<StagedRecord> sideB = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String key = "k" + i;
                int kind = random.nextInt(20);
                if (kind != 0) {
                    sideA.add(record(key, "v"));
                }
                if (kind != 1) {
                    sideB.add(record(key, kind == 2 ? "changed" : "v"));
                }
            }
            // Key order on one side; the other locally shuffled, or (every fourth round) shuffled whole.
            shuffleLocally(sideB, round % 4 == 3 ? sideB.size() : 1 + random.nextInt(300), random);
            PairingWindow window = new PairingWindow(capacity);
            long seedA = random.nextLong();
            long seedB = random.nextLong();
            CompletableFuture<List<StagedRecord>> a = CompletableFuture.supplyAsync(() -> side(window, 'A', sideA, seedA), threads);
            CompletableFuture<List<StagedRecord>> b = CompletableFuture.supplyAsync(() -> side(window, 'B', sideB, seedB), threads);

            assertThat(diff(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)))
                    .as("round %d, capacity %d", round, capacity).isEqualTo(diff(sideA, sideB));
        }
    }

    @Test
    void inKeyOrderOnBothSidesOnlyTheDifferencesAreStaged() throws Exception {
        List<StagedRecord> sideA = new ArrayList<>();
        List<StagedRecord> sideB = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sideA.add(record("k" + i, "v"));
            sideB.add(record("k" + i, i % 1000 == 0 ? "changed" : "v"));
        }
        PairingWindow window = new PairingWindow(50);
        CompletableFuture<List<StagedRecord>> a = CompletableFuture.supplyAsync(() -> side(window, 'A', sideA, 1), threads);
        CompletableFuture<List<StagedRecord>> b = CompletableFuture.supplyAsync(() -> side(window, 'B', sideB, 2), threads);

        assertThat(a.get(30, TimeUnit.SECONDS)).hasSize(10);
        assertThat(b.get(30, TimeUnit.SECONDS)).hasSize(10);
        assertThat(window.paired('A')).isEqualTo(9_990);
    }

    /** One side's thread: offers its records in chunks of random size, then finishes; returns all it staged. */
    private static List<StagedRecord> side(PairingWindow window, char side, List<StagedRecord> records, long seed) {
        Random random = new Random(seed);
        List<StagedRecord> staged = new ArrayList<>();
        try {
            for (int from = 0; from < records.size();) {
                int to = Math.min(records.size(), from + 1 + random.nextInt(40));
                staged.addAll(window.offer(side, records.subList(from, to)));
                from = to;
            }
            staged.addAll(window.finish(side));
            return staged;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            window.leave(side);
        }
    }

    /**
     * The staging's diff: a FULL OUTER JOIN on the key keeping the rows whose hashes differ, as
     * (key, hash at A, hash at B) lines.
     */
    private static List<String> diff(List<StagedRecord> a, List<StagedRecord> b) {
        Map<String, List<String>> atA = byKey(a);
        Map<String, List<String>> atB = byKey(b);
        List<String> rows = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(atA.keySet());
        keys.addAll(atB.keySet());
        for (String key : keys) {
            for (String hashA : atA.getOrDefault(key, Collections.singletonList(null))) {
                for (String hashB : atB.getOrDefault(key, Collections.singletonList(null))) {
                    if (hashA == null || !hashA.equals(hashB)) {
                        rows.add(key + " " + hashA + " " + hashB);
                    }
                }
            }
        }
        Collections.sort(rows);
        return rows;
    }

    private static Map<String, List<String>> byKey(List<StagedRecord> records) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (StagedRecord record : records) {
            byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(new String(record.versionHash(), StandardCharsets.UTF_8));
        }
        return byKey;
    }

    private static void shuffleLocally(List<StagedRecord> records, int span, Random random) {
        for (int from = 0; from < records.size(); from += span) {
            Collections.shuffle(records.subList(from, Math.min(records.size(), from + span)), random);
        }
    }

    private static StagedRecord record(String key, String value) {
        return new StagedRecord(key, value.getBytes(StandardCharsets.UTF_8), null, ("{\"v\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> keys(List<StagedRecord> records) {
        return records.stream().map(StagedRecord::key).toList();
    }
}
