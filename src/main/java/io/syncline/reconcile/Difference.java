package io.syncline.reconcile;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A difference a run found: its bucket, each differing field with both values (mismatches),
 * both sides' values, the record's own newest timestamp, and the response planned for it.
 */
@RegisterForReflection
public record Difference(String key, Bucket bucket, List<FieldDifference> fields, Map<String, Object> valuesA,
                         Map<String, Object> valuesB, Instant recordAt, Action action) {

    @RegisterForReflection
    public record FieldDifference(String field, Object a, Object b) {
    }

    /** What a run does about a difference; the {@code would_} actions are a dry run's. */
    public enum Action {
        report, fix, quarantine, fixed, quarantined, would_fix, would_quarantine, refused
    }
}
