package io.syncline.alerting;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The notifier's rate limit: one message per condition per interval, and the resolved message. */
class AlertStatesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AlertMessage DRIFT = new AlertMessage("SynclineSchemaDrift",
            Map.of("entity", "contact", "system", "crm", "field", "city"), true, "city stopped arriving");
    private static final AlertMessage LAG = new AlertMessage("SynclineSyncLagHigh", Map.of(), true, "late");

    private final AlertStates states = new AlertStates(Duration.ofMinutes(15));

    private List<AlertMessage> tell(List<AlertMessage> firing, Instant now) {
        List<AlertMessage> due = states.due(firing, now);
        due.forEach(message -> states.sent(message, now));
        return due;
    }

    @Test
    void aConditionIsToldWhenItStartsAndWhenItClearsAndNotWhileItHolds() {
        assertThat(tell(List.of(DRIFT), T0)).containsExactly(DRIFT);
        assertThat(tell(List.of(DRIFT), T0.plusSeconds(60))).isEmpty();
        assertThat(tell(List.of(DRIFT), T0.plus(Duration.ofHours(2)))).isEmpty();
        List<AlertMessage> cleared = tell(List.of(), T0.plus(Duration.ofHours(3)));
        assertThat(cleared).singleElement().satisfies(message -> {
            assertThat(message.firing()).isFalse();
            assertThat(message.subject()).startsWith("RESOLVED SynclineSchemaDrift {");
        });
        assertThat(tell(List.of(), T0.plus(Duration.ofHours(4)))).isEmpty();
    }

    @Test
    void aFlappingConditionSendsAtMostOneMessagePerIntervalAndEndsInItsLastState() {
        assertThat(tell(List.of(DRIFT), T0)).hasSize(1);
        // clears and returns within the interval: nothing is sent
        assertThat(tell(List.of(), T0.plusSeconds(60))).isEmpty();
        assertThat(tell(List.of(DRIFT), T0.plusSeconds(120))).isEmpty();
        assertThat(tell(List.of(), T0.plusSeconds(180))).isEmpty();
        // once the interval is up, the state it is in: cleared
        assertThat(tell(List.of(), T0.plus(Duration.ofMinutes(15)))).singleElement()
                .satisfies(message -> assertThat(message.firing()).isFalse());
        // fires again at once after a resolved message only when the interval since it is up
        assertThat(tell(List.of(DRIFT), T0.plus(Duration.ofMinutes(16)))).isEmpty();
        assertThat(tell(List.of(DRIFT), T0.plus(Duration.ofMinutes(30)))).containsExactly(DRIFT);
    }

    @Test
    void conditionsAreLimitedEachOnItsOwnAndAnUndeliveredMessageIsDueAgain() {
        assertThat(tell(List.of(DRIFT), T0)).containsExactly(DRIFT);
        assertThat(states.due(List.of(DRIFT, LAG), T0.plusSeconds(1))).containsExactly(LAG);
        // not marked sent (no channel took it): due at the next evaluation
        assertThat(states.due(List.of(DRIFT, LAG), T0.plusSeconds(2))).containsExactly(LAG);
    }
}
