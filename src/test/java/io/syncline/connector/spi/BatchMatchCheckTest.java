package io.syncline.connector.spi;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.FieldEqualityRule;
import io.syncline.matching.IdMapRule;
import io.syncline.matching.RecordMatcher;
import io.syncline.sync.ApplyBatchDependentException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which events of a batch depend on an earlier one's write, as the match stage sees them. */
class BatchMatchCheckTest {

    private final RecordMatcher matcher = new RecordMatcher(List.of(
            new IdMapRule((entity, canonicalId, system) -> Optional.empty()),
            FieldEqualityRule.email("email")));
    private final BatchMatchCheck check = new BatchMatchCheck();

    private static CanonicalRecord contact(String id, String email) {
        return new CanonicalRecord("contact", "crm", id, Map.of("email", email), "hash", "canon-" + id);
    }

    @Test
    void eventsOfDistinctRowsThatWouldNotFindEachOtherAreIndependent() {
        check.check(contact("1", "ada@example.com"), "billing", null, false, null, matcher);
        check.check(contact("2", "grace@example.com"), "billing", "B-7", false, Map.of("email", "grace@example.com"), matcher);

        assertThatCode(() -> check.check(contact("3", "alan@example.com"), "billing", null, false, null, matcher))
                .doesNotThrowAnyException();
    }

    @Test
    void aNewRecordThatWouldMatchAnEarlierEventsNewRowDependsOnIt() {
        check.check(contact("1", "ada@example.com"), "billing", null, false, null, matcher);

        assertThatThrownBy(() -> check.check(contact("2", "ADA@example.com"), "billing", null, false, null, matcher))
                .isInstanceOf(ApplyBatchDependentException.class)
                .hasMessageContaining("contact 2 from crm would match what an earlier one writes to billing");
    }

    @Test
    void aRecordThatWouldMatchWhatAnEarlierEventChangesARowToDependsOnIt() {
        // the earlier event changes B-7's e-mail to ada's: searched after that write, the later one finds B-7
        check.check(contact("1", "ada@example.com"), "billing", "B-7", true, Map.of("email", "old@example.com"), matcher);

        assertThatThrownBy(() -> check.check(contact("2", "ada@example.com"), "billing", null, false, null, matcher))
                .isInstanceOf(ApplyBatchDependentException.class);
    }

    @Test
    void twoEventsMatchingOneRowDependOnEachOther() {
        check.check(contact("1", "ada@example.com"), "billing", "B-7", false, Map.of("email", "ada@example.com"), matcher);

        assertThatThrownBy(() -> check.check(contact("2", "grace@example.com"), "billing", "B-7", false, Map.of(), matcher))
                .isInstanceOf(ApplyBatchDependentException.class)
                .hasMessageContaining("billing record B-7 matched by two of them");
    }

    @Test
    void aRecordTheIdMapLinksIsNotSearchedForSoNoEarlierWriteChangesItsMatch() {
        check.check(contact("1", "ada@example.com"), "billing", null, false, null, matcher);

        assertThatCode(() -> check.check(contact("2", "ada@example.com"), "billing", "B-2", true,
                Map.of("email", "ada@example.com"), matcher)).doesNotThrowAnyException();
    }
}
