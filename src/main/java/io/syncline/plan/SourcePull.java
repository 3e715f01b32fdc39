package io.syncline.plan;

import io.syncline.backfill.SourceRecord;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.exchange.ExchangeContract;
import io.syncline.model.SyncModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A plan's records read from the source system through its type, page by page, as a backfill reads
 * them: the whole entity, or its first {@code limit} records in the source's order (a sample).
 */
final class SourcePull implements RecordSource {

    private final SystemTypes types;
    private final SyncModel model;
    private final String entity;
    private final String source;
    private final long limit;
    private final String planId;

    SourcePull(SystemTypes types, SyncModel model, String entity, String source, long limit, String planId) {
        this.types = types;
        this.model = model;
        this.entity = entity;
        this.source = source;
        this.limit = limit;
        this.planId = planId;
    }

    /** Thrown by the page sink to end the pull early: the plan's sample is full, or it ran out of time. */
    private static final class Enough extends RuntimeException {

        Enough() {
            super(null, null, false, false);
        }
    }

    @Override
    public void read(Pages pages) throws Exception {
        var mapping = model.entities().get(entity).mappings().get(source);
        int pageSize = (int) Math.max(1, Math.min(limit, 500));
        long[] read = {0};
        try {
            types.of(source).puller().pull(new PullRequest(entity, source, model.systems().get(source), mapping, pageSize), rows -> {
                List<PlannedRecord> records = new ArrayList<>(rows.size());
                for (var row : rows) {
                    if (read[0]++ >= limit) {
                        break;
                    }
                    SourceRecord record = SourceRecord.of(row, mapping.key());
                    String key = String.valueOf(record.key());
                    records.add(new PlannedRecord(key, record.values(), ExchangeContract.ORIGIN_BACKFILL,
                            "plan:" + planId + ":" + entity + ":" + key));
                }
                if (!pages.accept(records) || read[0] >= limit) {
                    throw new Enough();
                }
            });
        } catch (Exception e) {
            if (!endedEarly(e)) {
                throw e;
            }
        }
    }

    /** Whether the pull ended because the plan wanted no more (a puller may wrap what its sink threw). */
    private static boolean endedEarly(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Enough) {
                return true;
            }
        }
        return false;
    }
}
