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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dead-letter store: one dead letter per inbox event. */
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
}
