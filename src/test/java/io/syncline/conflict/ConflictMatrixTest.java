package io.syncline.conflict;

import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision of every strategy, as a table: strategy x what changed x how the two systems'
 * modification times stand. A CRM change of a contact arrives for billing; the model is the
 * one the flow tests run (src/test/resources/conflict-routes), where each city field is decided
 * by another strategy and crm is the master (billing owns cityMerge; billing is the heavier
 * system, 100 to crm's 50, for cityWeighted). Asserted per case: the
 * value billing ends up with, the modification time it ends up with, billing's independent edit
 * kept, and the conflict recorded (strategy, decision) or the change held for review.
 * {@link ConflictStrategiesFlowTest} runs a representative subset end to end, both ways.
 */
class ConflictMatrixTest {

    static final Instant T0 = Instant.parse("2024-05-01T09:00:00Z");
    static final Instant EARLY = T0.plusSeconds(3600);
    static final Instant LATE = T0.plusSeconds(7200);

    /** What changed since the last sync. */
    enum Change {
        ONE_SIDE, DIFFERENT_FIELDS, SAME_VALUE, DIFFERENT_VALUES
    }

    /** The incoming (crm) change's time against billing's. */
    enum Timing {

        ORDERED(LATE, EARLY), TIED(EARLY, EARLY), REVERSED(EARLY, LATE);

        final Instant source;
        final Instant target;

        Timing(Instant source, Instant target) {
            this.source = source;
            this.target = target;
        }
    }

    /** A strategy as the test model wires it: the field it decides, and the answer on a real conflict per timing. */
    enum Strategy {

        MASTER_ALWAYS_WINS("city", "master-always-wins", "A", "A", "A"),
        LAST_WRITE_WINS("cityLww", "last-write-wins", "A", "A", "B"),
        FIRST_WRITE_WINS("cityFww", "first-write-wins", "B", "A", "A"),
        TARGET_WINS("cityTarget", "target-wins", "B", "B", "B"),
        FIELD_LEVEL_MERGE("cityMerge", "field-level-merge", "B", "B", "B"),
        REVIEW("cityReview", "review", null, null, null),
        WEIGHTED("cityWeighted", "weighted", "B", "B", "B"),
        // Both records are as complete as each other here: the later change, a tie to the master.
        MOST_COMPLETE("cityComplete", "most-complete", "A", "A", "B");

        final String field;
        final String name;
        private final String[] onConflict;

        Strategy(String field, String name, String ordered, String tied, String reversed) {
            this.field = field;
            this.name = name;
            this.onConflict = new String[]{ordered, tied, reversed};
        }

        /** Billing's value after a real conflict; null: held for review. */
        String onConflict(Timing timing) {
            return onConflict[timing.ordinal()];
        }
    }

    static CompiledModel model() {
        try {
            byte[] yaml = Files.readAllBytes(Path.of("src/test/resources/conflict-routes/contacts.syncline.yaml"));
            return new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("file:conflict-routes/contacts.syncline.yaml", yaml)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final CompiledModel MODEL = model();

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Strategy strategy : Strategy.values()) {
            for (Change change : Change.values()) {
                for (Timing timing : Timing.values()) {
                    cases.add(Arguments.of(strategy, change, timing));
                }
            }
        }
        return cases.stream();
    }

    static ConflictResolver.Outcome resolve(Map<String, Object> incoming, Map<String, Object> current,
            Map<String, Object> last, Instant sourceTime) {
        ConflictResolver resolver = new ConflictResolver("contact", MODEL.transformer().entity("contact"),
                MODEL.conflictPolicy("contact"));
        List<String> fields = MODEL.transformer().contract("contact", "billing").fields().stream()
                .map(io.syncline.mapping.CompiledField::field).toList();
        return resolver.resolve(fields, new ConflictResolver.Sides("crm", "billing", incoming, current, last, sourceTime,
                null, null, false));
    }

    static Map<String, Object> record(String field, Object value, String lastName, Instant updatedAt) {
        Map<String, Object> record = new HashMap<>();
        record.put("id", "c-1");
        record.put(field, value);
        record.put("lastName", lastName);
        record.put("updatedAt", updatedAt.toString());
        return record;
    }

    @ParameterizedTest(name = "{0} / {1} / timestamps {2}")
    @MethodSource("cases")
    void strategyDecides(Strategy strategy, Change change, Timing timing) {
        String field = strategy.field;
        Map<String, Object> last = record(field, "X", "Lovelace", T0);
        Map<String, Object> incoming = record(field, "A", "Lovelace", timing.source);
        Map<String, Object> current = switch (change) {
            case ONE_SIDE -> record(field, "X", "Lovelace", timing.target);
            case DIFFERENT_FIELDS -> record(field, "X", "Byron", timing.target);
            case SAME_VALUE -> record(field, "A", "Lovelace", timing.target);
            case DIFFERENT_VALUES -> record(field, "B", "Lovelace", timing.target);
        };

        ConflictResolver.Outcome outcome = resolve(incoming, current, last, timing.source);

        Instant later = timing.source.isAfter(timing.target) ? timing.source : timing.target;
        assertThat(outcome.values().get("updatedAt")).as("the later modification time").isEqualTo(later.toString());
        if (change != Change.DIFFERENT_VALUES) {
            assertThat(outcome.values().get(field)).isEqualTo("A");
            assertThat(outcome.values().get("lastName")).as("billing's own edit is kept")
                    .isEqualTo(change == Change.DIFFERENT_FIELDS ? "Byron" : "Lovelace");
            assertThat(outcome.conflicts()).isEmpty();
            return;
        }
        String expected = strategy.onConflict(timing);
        assertThat(outcome.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.field()).isEqualTo(field);
            assertThat(conflict.strategy()).isEqualTo(strategy.name);
            assertThat(conflict.sourceValue()).isEqualTo("A");
            assertThat(conflict.targetValue()).isEqualTo("B");
            assertThat(conflict.lastSynced()).isEqualTo("X");
            assertThat(conflict.sourceModifiedAt()).isEqualTo(timing.source);
            assertThat(conflict.targetModifiedAt()).isEqualTo(timing.target);
            assertThat(conflict.resolution()).isEqualTo(expected == null ? ConflictResolution.REVIEW
                    : expected.equals("A") ? ConflictResolution.SOURCE : ConflictResolution.TARGET);
        });
        if (expected == null) {
            assertThat(outcome.forReview()).extracting(FieldConflict::field).containsExactly(field);
        } else {
            assertThat(outcome.forReview()).isEmpty();
            assertThat(outcome.values().get(field)).isEqualTo(expected);
            assertThat(outcome.sources().get(field)).isEqualTo(expected.equals("A") ? "crm" : "billing");
        }
    }

    static Stream<Arguments> emptyValues() {
        return Stream.of(Arguments.of((Object) null), Arguments.of(""), Arguments.of("   "));
    }

    @ParameterizedTest(name = "most-complete keeps billing's value over the CRM's later {0}")
    @MethodSource("emptyValues")
    void mostCompleteKeepsAValueOverAnEmptyOne(Object empty) {
        ConflictResolver.Outcome outcome = resolve(record("cityComplete", empty, "Lovelace", LATE),
                record("cityComplete", "B", "Lovelace", EARLY), record("cityComplete", "X", "Lovelace", T0), LATE);

        assertThat(outcome.values().get("cityComplete")).isEqualTo("B");
        assertThat(outcome.sources().get("cityComplete")).isEqualTo("billing");
        assertThat(outcome.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.strategy()).isEqualTo("most-complete");
            assertThat(conflict.resolution()).isEqualTo(ConflictResolution.TARGET);
        });
    }

    @Test
    void mostCompleteKeepsTheValueOfTheRecordWithMoreFieldsFilled() {
        // The CRM's change is later, but its record has no last name: billing's is the more complete.
        ConflictResolver.Outcome outcome = resolve(record("cityComplete", "A", null, LATE),
                record("cityComplete", "B", "Lovelace", EARLY), record("cityComplete", "X", "Lovelace", T0), LATE);

        assertThat(outcome.values().get("cityComplete")).isEqualTo("B");
        assertThat(outcome.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.sourceFilled()).isEqualTo(2);
            assertThat(conflict.targetFilled()).isEqualTo(3);
            assertThat(conflict.resolution()).isEqualTo(ConflictResolution.TARGET);
        });
        assertThat(outcome.values().get("lastName")).as("a change only the CRM made still flows").isNull();
    }

    @Test
    void mostCompleteMergesARecordMatchedToAnExistingDuplicate() {
        // Nothing synced between the two records before: other strategies let the incoming value in.
        Map<String, Object> incoming = record("cityComplete", "", "Lovelace", LATE);
        incoming.put("city", "A");
        incoming.put("cityLww", null);
        Map<String, Object> current = record("cityComplete", "B", "Byron", EARLY);
        current.put("city", "B");
        current.put("cityLww", "B");

        ConflictResolver.Outcome outcome = resolve(incoming, current, null, LATE);

        assertThat(outcome.values()).containsEntry("cityComplete", "B").containsEntry("city", "A")
                .containsEntry("cityLww", null).containsEntry("lastName", "Lovelace");
        assertThat(outcome.sources()).containsEntry("cityComplete", "billing").containsEntry("city", "crm");
        assertThat(outcome.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.field()).isEqualTo("cityComplete");
            assertThat(conflict.lastSynced()).isNull();
            assertThat(conflict.resolution()).isEqualTo(ConflictResolution.TARGET);
        });

        ConflictResolver.Outcome filledOnlyIncoming = resolve(record("cityComplete", "A", "Lovelace", LATE),
                record("cityComplete", null, "Lovelace", EARLY), null, LATE);
        assertThat(filledOnlyIncoming.values().get("cityComplete")).isEqualTo("A");
        assertThat(filledOnlyIncoming.conflicts()).isEmpty();
    }

    static Stream<Arguments> weightTies() {
        return Stream.of(Arguments.of("crm", "crm", ConflictResolution.SOURCE),
                Arguments.of("crm", "billing", ConflictResolution.TARGET),
                Arguments.of("erp", "crm", ConflictResolution.TARGET),
                Arguments.of("erp", "billing", ConflictResolution.SOURCE));
    }

    @ParameterizedTest(name = "equal weights, master {0}, {1} to billing: {2}")
    @MethodSource("weightTies")
    void equalWeightsGoToTheMasterElseTheSystemWhoseNameSortsFirst(String master, String source,
            ConflictResolution expected) {
        String target = source.equals("billing") ? "crm" : "billing";
        ConflictStrategy weighted = new WeightedStrategy().withWeights(Map.of("crm", 50, "billing", 50, "erp", 100));
        FieldConflict conflict = new FieldConflict("contact", "city", source, "A", target, "B", "X", master, LATE, EARLY,
                3, 3, null, null);

        assertThat(weighted.resolve(conflict)).isEqualTo(expected);
    }
}
