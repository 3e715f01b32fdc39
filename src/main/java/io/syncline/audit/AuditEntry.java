package io.syncline.audit;

import io.syncline.mapping.CanonicalRecord;

import java.util.Map;

/**
 * One decision of the sync: what happened ({@code action}) to which record, from which source
 * to which target, in which run, with the field diff ({@code field -> {from, to}}) where
 * something was written, and the person it was done for ({@code actor}; null when Syncline
 * decided on its own).
 */
public record AuditEntry(Action action, String entity, String canonicalId, String sourceSystem, String sourceId,
        String targetSystem, String targetId, String runId, Long inboxId, String eventKey,
        String versionHash, Map<String, FieldChange> diff, String detail, String actor) {

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

    /** An entry about {@code record} with nothing written: skips, holds and failures. */
    public static AuditEntry of(Action action, CanonicalRecord record, String targetSystem, String runId, Long inboxId,
            String eventKey, String detail) {
        return new AuditEntry(action, record.entity(), record.canonicalId(), record.sourceSystem(), record.sourceId(),
                targetSystem, null, runId, inboxId, eventKey, record.versionHash(), null, detail);
    }
}
