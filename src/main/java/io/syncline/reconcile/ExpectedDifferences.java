package io.syncline.reconcile;

import io.syncline.mapping.CanonicalValues;
import io.syncline.model.ReconciliationDefinition;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Why a difference of a run is expected rather than drift, if it is: its record waits in the
 * review queue or is a dead letter in either side's real-time path (someone was told, and a fix
 * would bypass that decision), or it is of records the job's {@code expect} declares one side
 * does not hold. Read once per run; a record is known by its id in the system that sent it, which
 * is the difference's key where the entity's key is that system's record id.
 */
final class ExpectedDifferences {

    /** The records of an entity from two systems that the real-time path held for review or dead-lettered. */
    @FunctionalInterface
    public interface Explained {

        /** Nothing held or rejected. */
        Explained NONE = (entity, a, b) -> Map.of();

        /** Each such record's id in the system that sent it, to why it did not get through (the item or dead letter). */
        Map<String, String> records(String entity, String a, String b) throws SQLException;
    }

    private final Map<String, String> explained;
    private final List<ReconciliationDefinition.Expectation> declared;

    ExpectedDifferences(Map<String, String> explained, List<ReconciliationDefinition.Expectation> declared) {
        this.explained = explained;
        this.declared = declared;
    }

    /** Nothing expected: every difference is drift. */
    static ExpectedDifferences none() {
        return new ExpectedDifferences(Map.of(), List.of());
    }

    /** What is expected of a run of {@code job}, as the state store holds it now. */
    static ExpectedDifferences of(ReconciliationJob job, Explained explained) throws SQLException {
        return new ExpectedDifferences(explained.records(job.entity(), job.sideA(), job.sideB()), job.expect());
    }

    /** Why the difference of {@code key} is expected; null when it is drift. {@code a}, {@code b}: each side's values, null where it has none. */
    String reason(Bucket bucket, String key, Map<String, Object> a, Map<String, Object> b) {
        String reason = explained.get(key);
        if (reason != null) {
            return reason;
        }
        for (ReconciliationDefinition.Expectation expectation : declared) {
            if ((expectation.bucket() == null || bucketOf(expectation.bucket()) == bucket)
                    && (matches(expectation, a) || matches(expectation, b))) {
                return "expected: " + expectation.reason();
            }
        }
        return null;
    }

    private static Bucket bucketOf(String name) {
        return switch (name) {
            case "onlyInA" -> Bucket.only_in_a;
            case "onlyInB" -> Bucket.only_in_b;
            default -> Bucket.mismatched;
        };
    }

    /** Whether the side's values hold each field of the expectation at its value, or at one of its values (a list). */
    private static boolean matches(ReconciliationDefinition.Expectation expectation, Map<String, Object> values) {
        if (values == null) {
            return false;
        }
        for (Map.Entry<String, Object> test : expectation.where().entrySet()) {
            Object value = values.get(test.getKey());
            boolean any = test.getValue() instanceof List<?> list
                    ? list.stream().anyMatch(wanted -> CanonicalValues.same(value, wanted))
                    : CanonicalValues.same(value, test.getValue());
            if (!any) {
                return false;
            }
        }
        return true;
    }
}
