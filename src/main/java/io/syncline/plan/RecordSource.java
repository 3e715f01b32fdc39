package io.syncline.plan;

import java.util.List;

/**
 * Where a plan's records come from, kept apart from their evaluation ({@link PlanEvaluator}): a
 * pull of the source system ({@link SourcePull}); the events an inbox kept could be another.
 */
public interface RecordSource {

    /** Hands each page of records to {@code pages} in order, until the source is read through or {@code pages} wants no more. */
    void read(Pages pages) throws Exception;

    /** Takes a page of records. */
    @FunctionalInterface
    interface Pages {

        /** @return whether to read on */
        boolean accept(List<PlannedRecord> records) throws Exception;
    }
}
