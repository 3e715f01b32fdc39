package io.syncline.reconcile;

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

    @RegisterForReflection
    public record FieldDifference(String field, Object a, Object b) {
    }

    /**
     * What a run does about a difference; the {@code would_} actions are a dry run's. An
     * {@code expected} difference is explained (held, rejected, declared) and neither fixed nor quarantined.
     */
    public enum Action {
        report, fix, quarantine, fixed, quarantined, would_fix, would_quarantine, refused, expected
    }
}
