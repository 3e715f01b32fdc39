package io.syncline.connector.spi;

import io.syncline.model.ChangeFilter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;

import java.util.List;

/**
 * What to pull: the entity's records in one system, through its mapping, {@code pageSize} at a
 * time; all of them, only those whose raw key is one of {@code keys}, or only those changed after
 * a watermark ({@code changes}, for a type that reads changes). A full pull may start after a raw
 * key ({@code after}, a backfill resumed): a puller that reads in key order starts there, any
 * other reads from the start.
 */
public record PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize,
        List<Object> keys, Changes changes, Object after) {

    /**
     * The records changed after {@code after} (none: every record with a modification time), in
     * the order of their modification time, then key. A source that filters by time alone
     * ({@link RecordPuller#changesIncludeWatermarkInstant}) answers the records of the watermark's
     * own instant again, and the caller drops those it has read.
     *
     * @param path   the system's path of the entity's modification time (a column, a record's member)
     * @param filter how the system's API is asked for changes (REST: {@code polls.<system>.changes});
     *               null for a system that needs no description (JDBC)
     */
    public record Changes(String path, Watermark after, ChangeFilter filter) {

        /** The changes of a system that needs no description of its filter (JDBC). */
        public Changes(String path, Watermark after) {
            this(path, after, null);
        }
    }

    public PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize,
            List<Object> keys, Changes changes) {
        this(entity, systemName, system, mapping, pageSize, keys, changes, null);
    }

    /** Every record. */
    public PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize) {
        this(entity, systemName, system, mapping, pageSize, null, null, null);
    }

    /** The records of the given raw keys. */
    public PullRequest(String entity, String systemName, SystemDefinition system, SystemMapping mapping, int pageSize,
            List<Object> keys) {
        this(entity, systemName, system, mapping, pageSize, keys, null, null);
    }
}
