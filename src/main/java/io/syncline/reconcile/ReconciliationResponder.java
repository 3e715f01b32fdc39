package io.syncline.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.mapping.RecordTransformer;
import io.syncline.tombstone.SubjectErasedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out the planned responses of a trustworthy run. An auto-fix becomes a synthetic event
 * of the master in the durable inbox, for the job's apply route: the same transformer, matching,
 * write, retries, dead letters and audit as a webhook; one that would recreate an erased person is
 * refused (audited by the guard). The event carries the master's whole record, fetched from it
 * where its type can fetch, not only the compared fields the run staged: a fix writes every mapped
 * field. A record the master no longer has is reported instead. Where the master has a record its
 * counterpart lost, what Syncline remembers of the counterpart's copy is forgotten first
 * ({@link LostRecords}), so that the fix writes it anew rather than finding it unchanged. A
 * quarantine becomes a review item. Nothing is ever deleted. A planned fix that is not made
 * (the master answered no record by the key, the person was erased) is counted and said in the
 * {@link Outcome}, so that the run's verdict does not claim what did not happen.
 *
 * <p>A record naming a parent ({@code ref}) is fixed only where the parent is linked in the fix's
 * target: its apply route then writes the target's own id of the parent. One whose parent is not
 * linked there, or whose reference dangles in the master, is reported instead, the difference
 * noting which parent; the ID map is asked once per referenced entity and batch of fixes.
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
    private final ParentIds parents;
    private final ObjectMapper mapper;

    ReconciliationResponder(DifferenceRepository differences, FixQueue fixes, MasterRecords masters, LostRecords lost,
            Quarantine quarantine, ParentIds parents, ObjectMapper mapper) {
        this.differences = differences;
        this.parents = parents;
        this.fixes = fixes;
        this.masters = masters;
        this.lost = lost;
        this.quarantine = quarantine;
        this.mapper = mapper;
    }

    /**
     * What a run's responses came to: the fixes it planned and made, the review items it added, and
     * why each planned fix that was not made was not ({@link #shortfall()}).
     */
    record Outcome(long plannedFixes, long fixed, long quarantined, List<String> shortfall) {

        static final Outcome NONE = new Outcome(0, 0, 0, List.of());

        /** Fewer fixes made than planned. */
        boolean fixesShort() {
            return fixed < plannedFixes;
        }
    }

    Outcome respond(long runId, ReconciliationJob job, RecordTransformer transformer) throws Exception {
        long planned = 0;
        long fixed = 0;
        long goneFromMaster = 0;
        long erased = 0;
        long unlinked = 0;
        long afterId = 0;
        ComparedReferences references = ComparedReferences.of(job, transformer.entity(job.entity()));
        String target = job.system(job.masterSide() == 'A' ? 'B' : 'A');
        for (List<StoredDifference> batch; !(batch = differences.planned(runId, Difference.Action.fix, afterId, BATCH)).isEmpty();) {
            FixParents linked = fixParents(job, target, references, batch);
            for (StoredDifference difference : batch) {
                afterId = difference.id();
                planned++;
                List<Difference.FieldDifference> notLinked = linked.unlinked().get(difference.id());
                if (notLinked != null) {
                    report(difference, notLinked);
                    unlinked++;
                    continue;
                }
                Map<String, Object> payload = masterRecord(job, difference, transformer, references, linked.masterIds());
                if (payload == null) {
                    // gone from the master since the pull, or not found by the key it was pulled by: nothing to copy
                    differences.recordAction(difference.id(), Difference.Action.report, null, null);
                    goneFromMaster++;
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
                    erased++;
                    continue;
                }
                differences.recordAction(difference.id(), Difference.Action.fixed, inboxId, null);
                fixed++;
            }
        }
        List<String> shortfall = new ArrayList<>();
        if (goneFromMaster > 0) {
            shortfall.add(goneFromMaster + " of " + planned + " planned fixes not made: " + job.master() + " answered no "
                    + job.entity() + " by its key when its whole record was fetched (reported instead)");
        }
        if (erased > 0) {
            shortfall.add(erased + " of " + planned + " planned fixes not made: the record is of an erased person (refused)");
        }
        if (unlinked > 0) {
            shortfall.add(unlinked + " of " + planned + " planned fixes not made: a parent the record names is not linked in "
                    + target + " (reported instead)");
        }
        long quarantined = 0;
        afterId = 0;
        for (List<StoredDifference> batch; !(batch = differences.planned(runId, Difference.Action.quarantine, afterId, BATCH)).isEmpty();) {
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
        return new Outcome(planned, fixed, quarantined, shortfall);
    }

    /**
     * A dry run's planned fixes as the run would make them: those naming a parent not linked in the
     * target (or dangling in the master) are reported instead, with the same note.
     */
    void previewFixes(long runId, ReconciliationJob job, RecordTransformer transformer) throws Exception {
        ComparedReferences references = ComparedReferences.of(job, transformer.entity(job.entity()));
        if (references.isEmpty()) {
            return;
        }
        String target = job.system(job.masterSide() == 'A' ? 'B' : 'A');
        long afterId = 0;
        for (List<StoredDifference> batch; !(batch = differences.planned(runId, Difference.Action.would_fix, afterId, BATCH))
                .isEmpty();) {
            FixParents linked = fixParents(job, target, references, batch);
            for (StoredDifference difference : batch) {
                afterId = difference.id();
                List<Difference.FieldDifference> notLinked = linked.unlinked().get(difference.id());
                if (notLinked != null) {
                    report(difference, notLinked);
                }
            }
        }
    }

    /** A fix not made for a parent not linked: the apply route would only wait for it and hold the record, so a person decides. */
    private void report(StoredDifference difference, List<Difference.FieldDifference> notLinked) throws Exception {
        differences.recordAction(difference.id(), Difference.Action.report, null, null);
        differences.note(difference.id(), withNotes(difference, notLinked));
    }

    /**
     * The master's record in its own shape, as its webhook would have sent it: fetched whole, or
     * else made from the staged (compared) values and the key; null when the master lost it.
     */
    private Map<String, Object> masterRecord(ReconciliationJob job, StoredDifference difference, RecordTransformer transformer,
            ComparedReferences references, Map<String, Map<String, String>> masterIds) throws Exception {
        Optional<Map<String, Object>> fetched = masters.fetch(job.entity(), job.master(), difference.key());
        if (fetched != null) {
            return fetched.orElse(null);
        }
        String staged = difference.bucket().equals("only_in_a") ? difference.valuesA() : difference.valuesB();
        Map<String, Object> values = new LinkedHashMap<>(mapper.readValue(staged, MAP));
        // a sensitive field's staged value is its digest, no value to write: the fix leaves it as the target has it
        values.keySet().removeIf(field -> differences.sealing().sensitive(job.entity(), field));
        values.putIfAbsent(job.keyField(), difference.key());
        // the staged references are canonical ids: the master's event names its parents by its own ids
        references.fields().forEach((field, entity) -> {
            Map<String, String> own = masterIds.getOrDefault(entity, Map.of());
            Object value = values.get(field);
            if (value instanceof List<?> ids) {
                values.put(field, ids.stream().map(id -> id == null ? null : own.get(id.toString())).toList());
            } else if (value != null) {
                values.put(field, own.get(value.toString()));
            }
        });
        return transformer.toSystem(job.entity(), job.master(), values);
    }

    /**
     * Of a batch of planned fixes: those naming a parent not linked in the target (or dangling in
     * the master), with a note per such reference; and the master's own ids of the parents named.
     */
    private record FixParents(Map<Long, List<Difference.FieldDifference>> unlinked, Map<String, Map<String, String>> masterIds) {
    }

    private FixParents fixParents(ReconciliationJob job, String target, ComparedReferences references, List<StoredDifference> batch)
            throws Exception {
        if (references.isEmpty()) {
            return new FixParents(Map.of(), Map.of());
        }
        Map<Long, Map<String, Object>> staged = new HashMap<>();
        Map<String, Set<String>> asked = new HashMap<>();
        for (StoredDifference difference : batch) {
            String json = job.masterSide() == 'A' ? difference.valuesA() : difference.valuesB();
            Map<String, Object> values = json == null ? Map.of() : mapper.readValue(json, MAP);
            staged.put(difference.id(), values);
            references.fields().forEach((field, entity) -> asked.computeIfAbsent(entity, e -> new HashSet<>())
                    .addAll(ComparedReferences.canonicalIds(values.get(field))));
        }
        Map<String, Map<String, String>> inTarget = new HashMap<>();
        Map<String, Map<String, String>> inMaster = new HashMap<>();
        asked.forEach((entity, ids) -> {
            if (!ids.isEmpty()) {
                inTarget.put(entity, parents.systemIds(entity, ids, target));
                inMaster.put(entity, parents.systemIds(entity, ids, job.master()));
            }
        });
        Map<Long, List<Difference.FieldDifference>> unlinked = new HashMap<>();
        staged.forEach((id, values) -> references.fields().forEach((field, entity) -> {
            Object value = values.get(field);
            List<String> missing = new ArrayList<>();
            if (ComparedReferences.hasDangling(value)) {
                missing.add("its " + entity + " is a dangling reference in " + job.master());
            }
            Map<String, String> linkedInTarget = inTarget.getOrDefault(entity, Map.of());
            for (String canonical : ComparedReferences.canonicalIds(value)) {
                if (!linkedInTarget.containsKey(canonical)) {
                    String own = inMaster.getOrDefault(entity, Map.of()).get(canonical);
                    missing.add(entity + " " + canonical + (own == null ? "" : " (" + job.master() + "'s " + own + ")")
                            + " is not linked in " + target);
                }
            }
            if (!missing.isEmpty()) {
                unlinked.computeIfAbsent(id, k -> new ArrayList<>()).add(new Difference.FieldDifference(field, value, null,
                        new Difference.Reference(entity, null, null, "not fixed: " + String.join("; ", missing))));
            }
        }));
        return new FixParents(unlinked, inMaster);
    }

    /** The difference's stored fields with the notes added. */
    private String withNotes(StoredDifference difference, List<Difference.FieldDifference> notes) throws Exception {
        List<Object> fields = difference.fields() == null ? new ArrayList<>()
                : new ArrayList<>(mapper.readValue(difference.fields(), List.class));
        fields.addAll(notes);
        return mapper.writeValueAsString(fields);
    }

    private static String reason(ReconciliationJob job, StoredDifference difference) {
        return switch (difference.bucket()) {
            case "only_in_a" -> job.entity() + " " + difference.key() + " is in " + job.sideA() + " but not in " + job.sideB();
            case "only_in_b" -> job.entity() + " " + difference.key() + " is in " + job.sideB() + " but not in " + job.sideA();
            default -> job.entity() + " " + difference.key() + " differs between " + job.sideA() + " and " + job.sideB();
        };
    }
}
