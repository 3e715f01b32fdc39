package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxSettingsCheckTest {

    @Test
    void noWorkersAnEmptyClaimOrAnEmptyBatchIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> InboxSettingsCheck.check(0, 50, 8, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncline.inbox.workers is 0: it must be at least 1");
        assertThatThrownBy(() -> InboxSettingsCheck.check(8, 0, 8, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncline.inbox.batch-size is 0: it must be at least 1");
        assertThatThrownBy(() -> InboxSettingsCheck.check(8, 50, 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("syncline.inbox.apply-batch.max-events is 0: it must be at least 1");
        assertThatCode(() -> InboxSettingsCheck.check(1, 1, 1, 1)).doesNotThrowAnyException();
    }

    @Test
    void fewestEventsPerTransactionAboveTheMostIsRefused() {
        assertThatThrownBy(() -> InboxSettingsCheck.check(8, 50, 8, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncline.inbox.apply-batch.min-events is 9: it must be between 1 and"
                        + " syncline.inbox.apply-batch.max-events (8)");
        assertThatThrownBy(() -> InboxSettingsCheck.check(8, 50, 8, 0)).hasMessageStartingWith(
                "syncline.inbox.apply-batch.min-events is 0");
        assertThatCode(() -> InboxSettingsCheck.check(8, 50, 8, 8)).doesNotThrowAnyException();
    }
}
