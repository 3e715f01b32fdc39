package io.syncline.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.mapping.RecordTransformer;
import io.syncline.privacy.tombstone.SubjectErasedException;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out the planned responses of a trustworthy run. An auto-fix becomes a synthetic event
 * of the master in the durable inbox, for the job's apply route: the same transformer, matching,
 * write, retries, dead letters and audit as a webhook; one that would recreate an erased person is
 * refused (audited by the guard). The event carries the master's whole record, fetched from it
 * where its type can fetch, not only the compared fields the run staged: a fix writes every mapped
 * field. A record the master no longer has is reported instead. Where the master has a record its
 * counterpart lost, what Syncline remembers of the counterpart's copy is forgotten first
 * ({@link LostRecords}), so that the fix writes it anew rather than finding it unchanged. A
 * quarantine becomes a review item. Nothing is ever deleted.
 */
public final class ReconciliationResponder {

    private static final int BATCH = 200;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Enqueues a synthetic event of {@code system} for {@code applyEndpoint}; returns its inbox id. */
    @FunctionalInterface
    public interface FixQueue {
        long enqueue(String entity, String system, String applyEndpoint, String routeId, String recordKey, String eventId,
                     String payload) throws Exception;
    }

    /**
     * The master's current record by its key, in the system's own shape; empty when the system no
     * longer has it, null when its type cannot fetch (the run's staged values are used then).
     */
    @FunctionalInterface
    public interface MasterRecords {
        Optional<Map<String, Object>> fetch(String entity, String system, String key) throws Exception;
    }

    /**
     * The master's record {@code key} is missing from {@code target}: forgets what says that the
     * target still holds it as last written (where the target's type plans against that), audited.
     */
    @FunctionalInterface
    public interface LostRecords {
        LostRecords NONE = (entity, master, target, key, runId) -> {
        };

        void forget(String entity, String master, String target, String key, long runId) throws Exception;
    }

    /** Adds a review item for a difference; returns its id. */
    @FunctionalInterface
    public interface Quarantine {
        long add(String entity, String system, String key, Map<String, Object> values, String reason,
                 Map<String, Object> context) throws Exception;
    }

    private final DifferenceRepository differences;
    private final FixQueue fixes;
    private final MasterRecords masters;
    private final LostRecords lost;
    private final Quarantine quarantine;
    private final ObjectMapper mapper;

    ReconciliationResponder(DifferenceRepository differences, FixQueue fixes, MasterRecords masters, LostRecords lost,
                            Quarantine quarantine, ObjectMapper mapper) {
        this.differences = differences;
        this.fixes = fixes;
        this.masters = masters;
        this.lost = lost;
        this.quarantine = quarantine;
        this.mapper = mapper;
    }

    /** @return {fixed, quarantined} */
    long[] respond(long runId, ReconciliationJob job, RecordTransformer transformer) throws Exception {
        long fixed = 0;
        long afterId = 0;
        for (List<StoredDifference> batch; !(batch = differences.planned(runId, Difference.Action.fix, afterId, BATCH)).isEmpty(); ) {
            for (StoredDifference difference : batch) {
                afterId = difference.id();
                Map<String, Object> payload = masterRecord(job, difference, transformer);
                if (payload == null) {
                    // gone from the master since the pull: nothing to copy from it
                    differences.recordAction(difference.id(), Difference.Action.report, null, null);
                    continue;
                }
                if (difference.bucket().equals(job.masterSide() == 'A' ? "only_in_a" : "only_in_b")) {
                    lost.forget(job.entity(), job.master(), job.system(job.masterSide() == 'A' ? 'B' : 'A'), difference.key(),
                            runId);
                }
                long inboxId;
                try {
                    inboxId = fixes.enqueue(job.entity(), job.master(), job.fixEndpoint(), "reconcile:" + job.name(),
                            difference.key(), "reconcile-" + runId + "-" + difference.key(), mapper.writeValueAsString(payload));
                } catch (SubjectErasedException refused) {
                    // An erased person's record: not recreated, and the difference keeps no value of it.
                    differences.refused(difference.id(), refused.requestId());
                    continue;
                }
                differences.recordAction(difference.id(), Difference.Action.fixed, inboxId, null);
                fixed++;
            }
        }
        long quarantined = 0;
        afterId = 0;
        for (List<StoredDifference> batch; !(batch = differences.planned(runId, Difference.Action.quarantine, afterId, BATCH)).isEmpty(); ) {
            for (StoredDifference difference : batch) {
                afterId = difference.id();
                Long open = differences.openReviewItem(job.name(), difference.key(), difference.bucket(), runId);
                if (open != null) {
                    // Still waiting for a person: point at that item rather than queue the same drift twice.
                    differences.recordAction(difference.id(), Difference.Action.quarantined, null, open);
                    continue;
                }
                boolean inA = difference.valuesA() != null;
                String system = inA ? job.sideA() : job.sideB();
                Map<String, Object> values = mapper.readValue(inA ? difference.valuesA() : difference.valuesB(), MAP);
                String reason = reason(job, difference);
                long reviewId = quarantine.add(job.entity(), system, difference.key(), values, reason, Map.of(
                        "job", job.name(), "runId", runId, "bucket", difference.bucket(),
                        "differences", difference.fields() == null ? List.of() : mapper.readValue(difference.fields(), List.class)));
                differences.recordAction(difference.id(), Difference.Action.quarantined, null, reviewId);
                quarantined++;
            }
        }
        return new long[] {fixed, quarantined};
    }

    /**
     * The master's record in its own shape, as its webhook would have sent it: fetched whole, or
     * else made from the staged (compared) values and the key; null when the master lost it.
     */
    private Map<String, Object> masterRecord(ReconciliationJob job, StoredDifference difference, RecordTransformer transformer)
            throws Exception {
        Optional<Map<String, Object>> fetched = masters.fetch(job.entity(), job.master(), difference.key());
        if (fetched != null) {
            return fetched.orElse(null);
        }
        String staged = difference.bucket().equals("only_in_a") ? difference.valuesA() : difference.valuesB();
        Map<String, Object> values = new LinkedHashMap<>(mapper.readValue(staged, MAP));
        values.putIfAbsent(job.keyField(), difference.key());
        return transformer.toSystem(job.entity(), job.master(), values);
    }

    private static String reason(ReconciliationJob job, StoredDifference difference) {
        return switch (difference.bucket()) {
            case "only_in_a" -> job.entity() + " " + difference.key() + " is in " + job.sideA() + " but not in " + job.sideB();
            case "only_in_b" -> job.entity() + " " + difference.key() + " is in " + job.sideB() + " but not in " + job.sideA();
            default -> job.entity() + " " + difference.key() + " differs between " + job.sideA() + " and " + job.sideB();
        };
    }
}
