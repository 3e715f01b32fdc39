package io.syncline.connector.rest;

import io.syncline.connector.spi.BatchTargetStages;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.sync.SyncUnit;

import java.util.List;

/**
 * The apply stages of a {@link RestPresetType} whose provider has a batch call: an event alone by
 * the REST record calls, a batch's creates and updates by the preset's {@link RestPresetType#batch}
 * call, up to its {@link RestPresetType#batchLimit} records a call ({@link BatchTargetStages}).
 */
final class PresetBatchStages extends BatchTargetStages {

    private final RestPresetType type;

    PresetBatchStages(RestPresetType type, Context context) {
        super(type, context, type.name());
        this.type = type;
    }

    @Override
    protected int limit() {
        return type.batchLimit();
    }

    @Override
    protected String call(List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        return type.batchCall(type.target(first.entity(), first.target()), creating(pending)).name() + " (" + pending.size() + " records)";
    }

    @Override
    protected List<RecordOutcome> send(String call, List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        return type.batch(first.entity(), first.target(), rows(pending), ids(pending));
    }
}
