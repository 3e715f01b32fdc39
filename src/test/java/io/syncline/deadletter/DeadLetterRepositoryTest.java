package io.syncline.deadletter;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter store: one dead letter per inbox event, and one per part of a message that could
 * not be read however many consumers store it at the same moment.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class DeadLetterRepositoryTest {

    @Inject
    DeadLetterRepository deadLetters;

    @Test
    void anEventDeadLetteredAgainAfterACrashKeepsItsOneDeadLetter() throws SQLException {
        long inboxId = -System.nanoTime();
        long first = deadLetters.insert("crm-contact-webhook", "contact", "crm", "{}", "bad phone", "X", 1, inboxId);
        // The worker died before finishing the event; the retry dead-letters it again.
        long again = deadLetters.insert("crm-contact-webhook", "contact", "crm", "{}", "bad phone", "X", 2, inboxId);

        assertThat(again).isEqualTo(first);
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM dead_letter WHERE inbox_id = ?", inboxId))
                .containsExactly(Map.of("n", 1L));
    }

    @Test
    void aPartStoredOnceByManyConsumersAtTheSameMomentIsOneDeadLetter() throws Exception {
        int consumers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try {
            for (int round = 0; round < 5; round++) {
                String reason = "accounts.csv: line 3 has 3 values; the header names 2 columns (" + System.nanoTime() + ")";
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> stored = new ArrayList<>();
                for (int i = 0; i < consumers; i++) {
                    stored.add(pool.submit(() -> {
                        start.await();
                        deadLetters.storeOnce("erp-files-account-messages", "account", "erp-files", "a-3,Acme,extra",
                                new IllegalArgumentException(reason));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> each : stored) {
                    each.get(30, TimeUnit.SECONDS);
                }
                assertThat(TestDatabase.query("SELECT count(*) AS n FROM dead_letter WHERE reason = ?", reason))
                        .as("round %d", round).containsExactly(Map.of("n", 1L));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
