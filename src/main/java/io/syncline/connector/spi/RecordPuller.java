package io.syncline.connector.spi;

/**
 * Reads every record of an entity from one system, page by page, for a reconciliation. One
 * implementation per kind of system, chosen by {@link RecordPullers}. A puller never holds more
 * than one page: each page goes to the sink before the next is fetched.
 */
public interface RecordPuller {

    /**
     * @return what the pull saw: pages, records, whether it reached the end, the total the source reported
     * @throws PullException the source failed (HTTP error, SQL error) before the end
     */
    PullResult pull(PullRequest request, PageSink sink) throws PullException;

    /**
     * Whether the pull will count the records whose raw key repeats ({@link PullResult#repeatedKeys()}),
     * as a pull reading in key order can: then the staging need not see every record to count them.
     */
    default boolean countsRepeatedKeys(PullRequest request) {
        return false;
    }

    /**
     * Whether a read of changes ({@link PullRequest#changes()}) starts at the watermark's instant
     * itself, as an API that filters by time alone does ({@code updated_since >= t}), and so hands
     * back records read before: the caller then keeps the keys it read at its watermark's instant
     * and drops those. False for a source that starts after the watermark's time and key (JDBC).
     */
    default boolean changesIncludeWatermarkInstant(PullRequest request) {
        return false;
    }

    /**
     * Whether a read of changes goes on from a position the source hands out rather than from a
     * time (a sync cursor, as Plaid's {@code /transactions/sync} gives): each page comes with the
     * position after it ({@link PageSink#accept(List, String)}), which the poll keeps as its
     * watermark's key and hands back as {@link PullRequest.Changes#after()}'s key; the changes are
     * stored in the order the source gives them. False for a source read by modification time.
     */
    default boolean changesByPosition(PullRequest request) {
        return false;
    }
}
