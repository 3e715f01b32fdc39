package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a system that sends no webhooks is polled for an entity's changes: on a Quartz cron
 * {@code schedule} (UTC; one replica per fire), the records changed since the last poll's
 * watermark, read by the entity's {@code modifiedAt} in the system, {@code pageSize} at a time
 * ({@value #DEFAULT_PAGE_SIZE} when left out).
 *
 * @param changes how a REST API filters its records by modification time (a JDBC system is read
 *                by the column of {@code modifiedAt} and needs none)
 * @param deletes how deletions the system does not show are found (none: only those it shows,
 *                by the mapping's {@code delete.flag})
 * @param startAt where a poll with no watermark yet starts ({@link PollStartAt}); null: where the
 *                entity's last completed backfill from this system began reading, else the beginning
 * @param eventId path of a change's own id in the record read (an order line's), which the inbox takes
 *                once however often a poll reads it again (its order changed since); null: the record's
 *                key and modification time
 */
@RegisterForReflection
public record PollSpec(String schedule, Integer pageSize, ChangeFilter changes, PollDeletes deletes, String startAt,
        String eventId) {

    public static final int DEFAULT_PAGE_SIZE = 500;

    public PollSpec(String schedule, Integer pageSize, ChangeFilter changes, PollDeletes deletes) {
        this(schedule, pageSize, changes, deletes, null, null);
    }

    public PollSpec(String schedule, Integer pageSize, ChangeFilter changes, PollDeletes deletes, String startAt) {
        this(schedule, pageSize, changes, deletes, startAt, null);
    }

    public int pageSizeOrDefault() {
        return pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
    }
}
