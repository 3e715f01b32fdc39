package io.syncline.inbox;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A target that cannot be reached is warned about once a minute, each target on its own. */
class TargetRetryWarningsTest {

    @Test
    void theFirstRetryOfATargetInAMinuteWarnsAndTheRestAreDebug() {
        AtomicLong now = new AtomicLong(1_000);
        TargetRetryWarnings warnings = new TargetRetryWarnings(now::get);

        assertThat(warnings.level("erp")).isEqualTo(Logger.Level.WARN);
        assertThat(warnings.level("erp")).isEqualTo(Logger.Level.DEBUG);
        assertThat(warnings.level("hubspot")).as("another target").isEqualTo(Logger.Level.WARN);

        now.addAndGet(TargetRetryWarnings.INTERVAL.toNanos() - 1);
        assertThat(warnings.level("erp")).isEqualTo(Logger.Level.DEBUG);
        now.addAndGet(1);
        assertThat(warnings.level("erp")).as("a minute after the last warning").isEqualTo(Logger.Level.WARN);
        assertThat(warnings.level("erp")).isEqualTo(Logger.Level.DEBUG);
    }
}
