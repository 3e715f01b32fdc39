package io.syncline.reconcile;

import io.syncline.model.ReconciliationDefinition.Expectation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which differences are expected: a held or rejected record by its key, a declared one by its values and bucket. */
class ExpectedDifferencesRulesTest {

    private final ExpectedDifferences expected = new ExpectedDifferences(
            Map.of("c-1", "held for review (item 4): lastName is missing"),
            List.of(new Expectation("onlyInA", Map.of("status", List.of("prospect", "lead")), "billing takes customers only"),
                    new Expectation(null, Map.of("region", "EU", "tier", 2), "EU tiers are kept apart")));

    @Test
    void aHeldOrRejectedRecordIsExpectedInAnyBucket() {
        assertThat(expected.reason(Bucket.mismatched, "c-1", Map.of("status", "active"), Map.of("status", "inactive")))
                .isEqualTo("held for review (item 4): lastName is missing");
    }

    @Test
    void aDeclaredExpectationTestsItsBucketAndEachOfItsFields() {
        assertThat(expected.reason(Bucket.only_in_a, "c-2", Map.of("status", "lead"), null))
                .isEqualTo("expected: billing takes customers only");
        assertThat(expected.reason(Bucket.only_in_b, "c-2", null, Map.of("status", "lead"))).as("another bucket").isNull();
        assertThat(expected.reason(Bucket.only_in_a, "c-2", Map.of("status", "active"), null)).as("another value").isNull();
        assertThat(expected.reason(Bucket.only_in_b, "c-3", null, Map.of("region", "EU", "tier", 2L)))
                .isEqualTo("expected: EU tiers are kept apart");
        assertThat(expected.reason(Bucket.only_in_b, "c-3", null, Map.of("region", "EU"))).as("a field missing").isNull();
    }

    @Test
    void nothingIsExpectedOfAJobWithoutExpectations() {
        assertThat(ExpectedDifferences.none().reason(Bucket.only_in_a, "c-1", Map.of("status", "lead"), null)).isNull();
    }
}
