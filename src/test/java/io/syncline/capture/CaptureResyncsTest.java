package io.syncline.capture;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a run answering a capture's lost-changes requests is recorded as requested by. */
class CaptureResyncsTest {

    @Test
    void oneRequestIsItsReason() {
        assertThat(CaptureResyncs.requestedBy(List.of("capture contact_sfdc: /data/ContactChangeEvent lost changes at position 7"
                + " (overflow)"))).isEqualTo("capture contact_sfdc: /data/ContactChangeEvent lost changes at position 7 (overflow)");
    }

    @Test
    void coalescedRequestsNameTheFirstAndHowManyMore() {
        assertThat(CaptureResyncs.requestedBy(List.of("capture a_b: lost changes at position 7 (overflow)",
                "capture a_b: lost changes at position 9 (overflow)", "capture a_b: could not resume after position 9")))
                .isEqualTo("capture a_b: lost changes at position 7 (overflow) (and 2 more lost-changes requests of the job,"
                        + " answered by this run)");
    }

    @Test
    void aLongReasonIsShortenedToFitTheRunsColumnAndKeepsTheCount() {
        String requestedBy = CaptureResyncs.requestedBy(List.of("x".repeat(300), "y"));
        assertThat(requestedBy).hasSize(200).endsWith("… (and 1 more lost-changes requests of the job, answered by this run)");
    }
}
