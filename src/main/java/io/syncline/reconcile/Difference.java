package io.syncline.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A difference a run found: its bucket, each differing field with both values (mismatches),
 * both sides' values, the record's own newest timestamp, the response planned for it, and for an
 * expected difference ({@link Action#expected}) why it is expected.
 */
@RegisterForReflection
public record Difference(String key, Bucket bucket, List<FieldDifference> fields, Map<String, Object> valuesA,
        Map<String, Object> valuesB, Instant recordAt, Action action, String expectedBecause) {

    public Difference(String key, Bucket bucket, List<FieldDifference> fields, Map<String, Object> valuesA,
            Map<String, Object> valuesB, Instant recordAt, Action action) {
        this(key, bucket, fields, valuesA, valuesB, recordAt, action, null);
    }

    /**
     * A differing field with both values; for a reference ({@code ref}) the values are the parents'
     * canonical ids, or a dangling reference's mark, and {@code reference} says which parents they are.
     */
    @RegisterForReflection
    public record FieldDifference(String field, Object a, Object b, @JsonInclude(JsonInclude.Include.NON_NULL) Reference reference) {

        public FieldDifference(String field, Object a, Object b) {
            this(field, a, b, null);
        }
    }

    /**
     * The parents a differing reference names: their entity, each side's own id of them where the ID
     * map knows it (a list for a {@code many} reference), and what a person reads ("dangling
     * reference: company X of erp is not linked", or which company each side names).
     */
    @RegisterForReflection
    public record Reference(String entity, Object idA, Object idB, String note) {
    }

    /**
     * What a run does about a difference; the {@code would_} actions are a dry run's. An
     * {@code expected} difference is explained (held, rejected, declared) and neither fixed nor quarantined.
     */
    public enum Action {
        report, fix, quarantine, fixed, quarantined, would_fix, would_quarantine, refused, expected
    }
}
