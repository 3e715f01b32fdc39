package io.syncline.conflict;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import io.syncline.testsupport.TwoWayContacts.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.syncline.conflict.ConflictMatrixTest.Change;
import static io.syncline.conflict.ConflictMatrixTest.Strategy;
import static io.syncline.conflict.ConflictMatrixTest.Timing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A representative subset of {@link ConflictMatrixTest} end to end, on the real routes and
 * tables, both ways: both systems edit a contact, the CRM's webhook arrives first, then
 * billing's (sent before Syncline's write reached billing). Asserted: the final row in both
 * systems, the audit entry that decided the conflict, and the review queue.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class ConflictStrategiesFlowTest {

    private static final Map<Strategy, String> COLUMN = Map.of(Strategy.MASTER_ALWAYS_WINS, "city",
            Strategy.LAST_WRITE_WINS, "city_lww", Strategy.FIRST_WRITE_WINS, "city_fww", Strategy.TARGET_WINS, "city_target",
            Strategy.FIELD_LEVEL_MERGE, "city_merge", Strategy.REVIEW, "city_review", Strategy.WEIGHTED, "city_weighted",
            Strategy.MOST_COMPLETE, "city_complete");

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Strategy.MASTER_ALWAYS_WINS, Change.ONE_SIDE, Timing.ORDERED),
                Arguments.of(Strategy.MASTER_ALWAYS_WINS, Change.DIFFERENT_FIELDS, Timing.REVERSED),
                Arguments.of(Strategy.MASTER_ALWAYS_WINS, Change.SAME_VALUE, Timing.ORDERED),
                Arguments.of(Strategy.MASTER_ALWAYS_WINS, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.MASTER_ALWAYS_WINS, Change.DIFFERENT_VALUES, Timing.REVERSED),
                Arguments.of(Strategy.LAST_WRITE_WINS, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.LAST_WRITE_WINS, Change.DIFFERENT_VALUES, Timing.TIED),
                Arguments.of(Strategy.LAST_WRITE_WINS, Change.DIFFERENT_VALUES, Timing.REVERSED),
                Arguments.of(Strategy.FIRST_WRITE_WINS, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.FIRST_WRITE_WINS, Change.DIFFERENT_VALUES, Timing.REVERSED),
                Arguments.of(Strategy.TARGET_WINS, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.TARGET_WINS, Change.DIFFERENT_VALUES, Timing.REVERSED),
                Arguments.of(Strategy.FIELD_LEVEL_MERGE, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.REVIEW, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.WEIGHTED, Change.DIFFERENT_VALUES, Timing.ORDERED),
                Arguments.of(Strategy.MOST_COMPLETE, Change.DIFFERENT_VALUES, Timing.REVERSED),
                Arguments.of(Strategy.REVIEW, Change.DIFFERENT_FIELDS, Timing.ORDERED));
    }

    @ParameterizedTest(name = "{0} / {1} / timestamps {2}")
    @MethodSource("cases")
    void bothSystemsEndOnTheStrategysAnswer(Strategy strategy, Change change, Timing timing) throws SQLException {
        String id = "cf-" + UUID.randomUUID();
        String column = COLUMN.get(strategy);
        TwoWayContacts.create(id);

        Map<String, Object> billingEdit = new HashMap<>();
        switch (change) {
            case ONE_SIDE -> {
            }
            case DIFFERENT_FIELDS -> billingEdit.put("last_name", "Byron");
            case SAME_VALUE -> billingEdit.put(column, "A");
            case DIFFERENT_VALUES -> billingEdit.put(column, "B");
        }
        if (!billingEdit.isEmpty()) {
            billingEdit.put("updated_at", timing.target);
            TwoWayContacts.edit(Side.BILLING, id, billingEdit);
        }
        // Billing's webhook leaves before Syncline's write reaches billing; it arrives second.
        Map<String, Object> billingWebhook = TwoWayContacts.row(Side.BILLING, id);
        TwoWayContacts.edit(Side.CRM, id, Map.of(column, "A", "updated_at", timing.source));
        String first = TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id));
        String second = billingEdit.isEmpty() ? null : TwoWayContacts.deliverAndWait(Side.BILLING, billingWebhook);

        Map<String, Object> crm = TwoWayContacts.row(Side.CRM, id);
        Map<String, Object> billing = TwoWayContacts.row(Side.BILLING, id);
        String expected = change == Change.DIFFERENT_VALUES ? strategy.onConflict(timing) : "A";
        if (expected == null) {
            assertThat(List.of(first, second)).containsExactly("held", "held");
            assertThat(crm.get(column)).isEqualTo("A");
            assertThat(billing.get(column)).isEqualTo("B");
            assertThat(TwoWayContacts.openReviewItems(id)).extracting(row -> row.get("source_system") + "->"
                    + row.get("target_system") + " " + row.get("kind") + " " + row.get("strategy"))
                    .containsExactly("crm->billing conflict review", "billing->crm conflict review");
            return;
        }
        assertThat(first).isEqualTo("done");
        assertThat(crm.get(column)).as("crm").isEqualTo(expected);
        assertThat(billing.get(column)).as("billing").isEqualTo(expected);
        assertThat(crm.get("last_name")).isEqualTo(billing.get("last_name"))
                .isEqualTo(change == Change.DIFFERENT_FIELDS ? "Byron" : "Lovelace");
        Instant later = billingEdit.isEmpty() || timing.source.isAfter(timing.target) ? timing.source : timing.target;
        assertThat(crm.get("updated_at")).isEqualTo(billing.get("updated_at")).isEqualTo(later.toString());
        assertThat(TwoWayContacts.openReviewItems(id)).isEmpty();
        if (change == Change.DIFFERENT_VALUES) {
            String field = strategy.field;
            assertThat(TestDatabase.query("SELECT detail FROM audit_log WHERE source_id = ? AND source_system = 'crm'"
                    + " AND target_system = 'billing' ORDER BY id DESC LIMIT 1", id))
                    .singleElement().satisfies(row -> assertThat((String) row.get("detail"))
                            .contains("conflict on " + field + ": " + strategy.name + " kept the "
                                    + (expected.equals("A") ? "crm" : "billing") + " value"));
        }
    }
}
