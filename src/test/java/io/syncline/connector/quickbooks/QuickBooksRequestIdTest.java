package io.syncline.connector.quickbooks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The requestid of a QuickBooks write: the same for every attempt at one event's write, another for anything else. */
class QuickBooksRequestIdTest {

    private static final QuickBooksRequestId EVENT = new QuickBooksRequestId(41, "quickbooks", "invoice",
            "7f0c2b6e-3a51-4c1f-9d2e-0b7a8e4f6c11");

    @Test
    void theSameEventsCreateHasTheSameRequestIdAtEveryAttempt() {
        QuickBooksRequestId again = new QuickBooksRequestId(41, "quickbooks", "invoice", "7f0c2b6e-3a51-4c1f-9d2e-0b7a8e4f6c11");

        assertThat(again.create()).isEqualTo(EVENT.create());
        assertThat(again.write("update", "58", "3")).isEqualTo(EVENT.write("update", "58", "3"));
    }

    @Test
    void anotherEventTargetEntityRecordOrWriteHasAnother() {
        assertThat(List.of(EVENT.create(),
                new QuickBooksRequestId(42, "quickbooks", "invoice", EVENT.record()).create(),
                new QuickBooksRequestId(41, "quickbooks-eu", "invoice", EVENT.record()).create(),
                new QuickBooksRequestId(41, "quickbooks", "customer", EVENT.record()).create(),
                new QuickBooksRequestId(41, "quickbooks", "invoice", "another-record").create(),
                EVENT.write("update", "58", "3"),
                EVENT.write("update", "58", "4"),
                EVENT.write("update", "59", "3"),
                EVENT.write("operation=delete", "58", "3"))).doesNotHaveDuplicates();
    }

    @Test
    void aRequestIdKeepsWithinIntuitsLengths() {
        assertThat(EVENT.create()).hasSizeLessThanOrEqualTo(QuickBooksRequestId.MAX).matches("[0-9a-f]+");
        assertThat(EVENT.write("update", "58", "3")).hasSizeLessThanOrEqualTo(50);
        String batch = QuickBooksRequestId.batch(List.of(EVENT.create(), EVENT.write("update", "58", "3")));
        assertThat(batch).hasSizeLessThanOrEqualTo(QuickBooksRequestId.BATCH_MAX)
                .isEqualTo(QuickBooksRequestId.batch(List.of(EVENT.create(), EVENT.write("update", "58", "3"))))
                .isNotEqualTo(QuickBooksRequestId.batch(List.of(EVENT.write("update", "58", "3"), EVENT.create())));
    }
}
