package io.syncline.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CanonicalRecord;

import java.util.Map;

/**
 * One decision of the sync: what happened ({@code action}) to which record, from which source
 * to which target, in which run, with the field diff ({@code field -> {from, to}}) where
 * something was written, the person it was done for ({@code actor}; null when Syncline
 * decided on its own) and, per field of the diff, how its value was decided ({@code decisions};
 * null where nothing was written).
 */
public record AuditEntry(Action action, String entity, String canonicalId, String sourceSystem, String sourceId,
        String targetSystem, String targetId, String runId, Long inboxId, String eventKey,
        String versionHash, Map<String, FieldChange> diff, String detail, String actor,
        Map<String, FieldDecision> decisions) {

    public AuditEntry(Action action, String entity, String canonicalId, String sourceSystem, String sourceId,
            String targetSystem, String targetId, String runId, Long inboxId, String eventKey,
            String versionHash, Map<String, FieldChange> diff, String detail, String actor) {
        this(action, entity, canonicalId, sourceSystem, sourceId, targetSystem, targetId, runId, inboxId, eventKey,
                versionHash, diff, detail, actor, null);
    }

    public AuditEntry(Action action, String entity, String canonicalId, String sourceSystem, String sourceId,
            String targetSystem, String targetId, String runId, Long inboxId, String eventKey,
            String versionHash, Map<String, FieldChange> diff, String detail) {
        this(action, entity, canonicalId, sourceSystem, sourceId, targetSystem, targetId, runId, inboxId, eventKey,
                versionHash, diff, detail, null);
    }

    public enum Action {

        CREATED("created"), UPDATED("updated"), UNCHANGED("unchanged"), DELETED("deleted"),
        SKIPPED_DUPLICATE("skipped-duplicate"), SKIPPED_STALE("skipped-stale"), ECHO("echo"),
        HELD("held"), FAILED("failed"), DISCARDED("discarded"),
        /** A change that would have recreated an erased person (docs/privacy.md). */
        REFUSED("refused"),
        /** A person's record erased in a system by a privacy request: the proof, with no personal data. */
        ERASED("erased"),
        /** An erased person's tombstones lifted by a re-consent. */
        RECONSENTED("reconsented"),
        /** A link of the cross-system ID map made by an operator's import (docs/reference/admin-api.md). */
        LINKED("linked"),
        /** A link of the ID map to a record its system lost, forgotten so that a reconciliation's fix writes it anew. */
        UNLINKED("unlinked");

        private final String code;

        Action(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** A field's value before and after. */
    public record FieldChange(Object from, Object to) {
    }

    /**
     * How a written field's value was decided.
     *
     * @param source   the system the value came from, or {@code review} for a value a person typed in
     * @param by       {@link #CHANGE}, {@link #STRATEGY}, {@link #REVIEW} or {@link #RESYNC}
     * @param strategy the conflict strategy that decided it ({@code by: strategy})
     * @param kept     the system whose value the strategy kept ({@code by: strategy})
     * @param take     the person's decision ({@code source}, {@code target}, {@code custom}; {@code by: review})
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldDecision(String source, String by, String strategy, String kept, String take) {

        /** The source's change taken as it came: only the source changed the field, or the target had none. */
        public static final String CHANGE = "change";
        /** Both sides changed the field: a conflict strategy decided. */
        public static final String STRATEGY = "strategy";
        /** A person resolving a review item decided (a conflict's side or value, a held field's value). */
        public static final String REVIEW = "review";
        /** A re-sync pushed the master's last known value. */
        public static final String RESYNC = "resync";
    }

    /** An entry about {@code record} with nothing written: skips, holds and failures. */
    public static AuditEntry of(Action action, CanonicalRecord record, String targetSystem, String runId, Long inboxId,
            String eventKey, String detail) {
        return new AuditEntry(action, record.entity(), record.canonicalId(), record.sourceSystem(), record.sourceId(),
                targetSystem, null, runId, inboxId, eventKey, record.versionHash(), null, detail);
    }
}
