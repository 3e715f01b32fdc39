package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxSettingsCheckTest {

    @Test
    void noWorkersAnEmptyClaimOrAnEmptyBatchIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> InboxSettingsCheck.check(0, 50, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncline.inbox.workers is 0: it must be at least 1");
        assertThatThrownBy(() -> InboxSettingsCheck.check(8, 0, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncline.inbox.batch-size is 0: it must be at least 1");
        assertThatThrownBy(() -> InboxSettingsCheck.check(8, 50, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("syncline.inbox.apply-batch.max-events is 0: it must be at least 1");
        assertThatCode(() -> InboxSettingsCheck.check(1, 1, 1)).doesNotThrowAnyException();
    }
}
