package io.syncline.connector.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Takes each page of raw system records as it arrives (to stage it) before the next page is read. */
@FunctionalInterface
public interface PageSink {

    void accept(List<Map<String, Object>> page) throws Exception;

    /**
     * A page of changes from a source that keeps its own position in them and hands it out after
     * each page (Plaid's {@code /transactions/sync} cursor, {@link RecordPuller#changesByPosition}):
     * a poll stores the page's changes and keeps {@code position} with them, in one transaction, and
     * its next read goes on from that position. A sink that keeps no position takes the page alone.
     */
    default void accept(List<Map<String, Object>> page, String position) throws Exception {
        accept(page);
    }

    /**
     * How long the pull may wait, in all, for a source whose daily call budget is spent, before it
     * fails; zero (the default) fails at once. A reconciliation waits; a poll or a backfill fails
     * and is tried again later, since its thread serves other work.
     */
    default Duration longestBudgetWait() {
        return Duration.ZERO;
    }

    /**
     * The pull waits for the source's budget, expected back at {@code until}, for {@code reason};
     * both null: it waits no more (it goes on, or gives up).
     */
    default void waiting(Instant until, String reason) {
    }
}
