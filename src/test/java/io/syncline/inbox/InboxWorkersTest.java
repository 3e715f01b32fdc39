package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxWorkersTest {

    @Test
    void noWorkersIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> InboxWorkers.size(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("syncline.inbox.workers is 0: it must be at least 1");
        assertThat(InboxWorkers.size(3)).isEqualTo(3);
    }
}
