package io.syncline.sync;

/**
 * Two events of an {@link ApplyBatch} depend on each other: they are of one canonical record, or
 * one would find the other's target row (the same row, or a row the other is about to create or
 * change). Applied one at a time, the later event sees what the earlier one wrote; a batch runs
 * stage by stage ({@link ApplyEvents}) and could not. Thrown before either is applied; the batch
 * is rolled back and its events applied one at a time. Rare in a backlog, so it costs little.
 */
public class ApplyBatchDependentException extends RuntimeException {

    public ApplyBatchDependentException(String reason) {
        super("Two events of the batch depend on each other (" + reason + "): each is applied on its own");
    }
}
