package io.syncline.backfill;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A backfill's job as stored: a dry run or a run, its status, how far its read has got, and
 * what it counted.
 *
 * @param entity        the entity the job is on (of a backfill of several, the one whose checkpoint it holds)
 * @param entities      the backfill's entities in the order the job copies them, parents first
 * @param entityCounts  what the job counted of each entity it is done with, in its order
 * @param checkpoint    the last source key whose page is committed (JSON), null before the first page
 * @param eventsStored  a run's events, one per record and target: applied with their page, or put into the inbox
 * @param eventsApplied of those, the ones applied with their page (the rest went through the inbox)
 * @param outcomes      a dry run's records by target and outcome (create, update, unchanged, hold, reject, skip)
 * @param targetRecords a dry run's count of each target's records when it finished
 */
@RegisterForReflection
public record BackfillJob(long id, String backfill, String entity, List<String> entities, String source, List<String> targets, Kind kind,
        Long dryRunId, Status status, String checkpoint, long pages, long recordsRead,
        long recordsFiltered, long eventsStored, Map<String, Map<String, Long>> outcomes,
        Map<String, Long> targetRecords, boolean confirmed, String requestedBy, String owner,
        Instant heartbeatAt, Instant createdAt, Instant startedAt, Instant readDoneAt,
        Instant finishedAt, String error, Map<String, EntityCounts> entityCounts, long eventsApplied) {

    public enum Kind {
        dry_run, run
    }

    public enum Status {

        queued, running, paused, cancelled, completed, failed;

        /** Whether the job can do nothing more. */
        public boolean ended() {
            return this == cancelled || this == completed || this == failed;
        }
    }

    /** The route id its events carry in the inbox, and its audit entries' run id. */
    public String routeId() {
        return routeId(id);
    }

    public static String routeId(long id) {
        return "backfill:" + id;
    }
}
