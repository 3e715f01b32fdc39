package io.syncline.conflict;

import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelValidationException;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model's {@code conflict:} is checked at start-up, each mistake with its line and fix. */
class ConflictModelValidationTest {

    private static ModelFile model(String conflict, String modifiedAt, String billingUpdatedAt) {
        String yaml = String.join("\n",
                "systems:",
                "  crm: {type: jdbc, datasource: default}",
                "  billing: {type: jdbc, datasource: default}",
                "entities:",
                "  contact:",
                "    key: id",
                "    master: crm",
                "") + modifiedAt + conflict
                + String.join("\n",
                        "    fields: {id: {type: string}, phone: {type: string}, city: {type: string}, updatedAt: {type: timestamp}}",
                        "    mappings:",
                        "      crm:",
                        "        key: id",
                        "        table: crm_contact",
                        "        fields: [{field: id, path: id}, {field: phone, path: phone}, {field: updatedAt, path: updated_at}]",
                        "      billing:",
                        "        key: id",
                        "        table: billing_contact",
                        "        fields: [{field: id, path: id}, {field: phone, path: phone}" + billingUpdatedAt + "]",
                        "    webhooks: {crm: /webhooks/crm/contacts}",
                        "");
        return new ModelFile("file:contacts.syncline.yaml", yaml.getBytes());
    }

    private static SyncModelCompiler compiler() {
        return new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG);
    }

    private static List<ModelProblem> problems(ModelFile file) {
        try {
            compiler().compile(List.of(file));
            return List.of();
        } catch (ModelValidationException e) {
            return e.problems();
        }
    }

    private static final String MODIFIED_AT = "    modifiedAt: updatedAt\n";
    private static final String BILLING_UPDATED_AT = ", {field: updatedAt, path: updated_at}";

    @Test
    void strategyPerEntityAndPerFieldIsCompiled() {
        CompiledModel compiled = compiler().compile(List.of(model(
                "    conflict: {strategy: last-write-wins, fields: {phone: review}}\n", MODIFIED_AT, BILLING_UPDATED_AT)));

        assertThat(compiled.conflictPolicy("contact").forField("city").name()).isEqualTo("last-write-wins");
        assertThat(compiled.conflictPolicy("contact").forField("phone").name()).isEqualTo("review");
    }

    @Test
    void withoutConflictEveryFieldIsMasterAlwaysWins() {
        CompiledModel compiled = compiler().compile(List.of(model("", "", "")));

        assertThat(compiled.conflictPolicy("contact").forField("phone").name()).isEqualTo("master-always-wins");
    }

    @Test
    void misspeltStrategyNamesTheKnownOnesWithTheClosestFirstAtItsLine() {
        List<ModelProblem> problems = problems(model(
                "    conflict: {strategy: last-writer-wins, fields: {phone: reveiw}}\n", MODIFIED_AT, BILLING_UPDATED_AT));

        assertThat(problems).hasSize(2).allSatisfy(problem -> assertThat(problem.line()).isEqualTo(9));
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.conflict.strategy");
            assertThat(problem.problem()).isEqualTo("unknown conflict strategy 'last-writer-wins'");
            assertThat(problem.fix()).isEqualTo("did you mean 'last-write-wins'? Known: field-level-merge, first-write-wins,"
                    + " last-write-wins, master-always-wins, most-complete, review, target-wins, weighted");
        });
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.conflict.fields.phone");
            assertThat(problem.fix()).startsWith("did you mean 'review'?");
        });
    }

    @Test
    void overrideForAnUndeclaredFieldOrTheModificationTimeIsRefused() {
        List<ModelProblem> problems = problems(model(
                "    conflict:\n      fields:\n        phnoe: review\n        updatedAt: last-write-wins\n",
                MODIFIED_AT, BILLING_UPDATED_AT));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("entities.contact.conflict.fields.phnoe", 11),
                org.assertj.core.groups.Tuple.tuple("entities.contact.conflict.fields.updatedAt", 12));
        assertThat(problems).anySatisfy(problem -> assertThat(problem.fix()).contains("did you mean 'phone'?"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem.problem()).contains("never a conflict"));
    }

    @Test
    void timestampStrategiesNeedModifiedAtAndEverySystemReadingIt() {
        assertThat(problems(model("    conflict: {strategy: first-write-wins}\n", "", BILLING_UPDATED_AT)))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.problem()).contains("first-write-wins compares the systems' modification times")
                            .contains("no modifiedAt");
                    assertThat(problem.fix()).contains("modifiedAt: updatedAt");
                });
        assertThat(problems(model("    conflict: {fields: {phone: last-write-wins}}\n", MODIFIED_AT, "")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("entities.contact.conflict.fields.phone");
                    assertThat(problem.problem()).contains("mapping of billing does not read updatedAt");
                });
    }

    @Test
    void unknownKeyUnderConflictIsReported() {
        assertThatThrownBy(() -> compiler().compile(List.of(model("    conflict: {stratgey: review}\n", "", ""))))
                .isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("unknown key 'stratgey'").hasMessageContaining("fields, strategy, weights");
    }

    @Test
    void weightedIsCompiledWithTheEntitysWeightsAndMostCompleteNeedsNoModificationTime() {
        CompiledModel compiled = compiler().compile(List.of(model(
                "    conflict: {strategy: weighted, weights: {crm: 50, billing: 100}, fields: {city: most-complete}}\n", "", "")));

        ConflictStrategy weighted = compiled.conflictPolicy("contact").forField("phone");
        assertThat(weighted.name()).isEqualTo("weighted");
        FieldConflict conflict = new FieldConflict("contact", "phone", "crm", "A", "billing", "B", "X", "crm", null, null,
                2, 2, null, null);
        assertThat(weighted.resolve(conflict)).as("billing is the heavier").isEqualTo(ConflictResolution.TARGET);
        assertThat(compiled.conflictPolicy("contact").forField("city").name()).isEqualTo("most-complete");
    }

    @Test
    void weightsForAnUnknownSystemMissingOrNotPositiveAreReportedAtTheirLine() {
        List<ModelProblem> problems = problems(model(String.join("\n",
                "    conflict:",
                "      fields: {phone: weighted}",
                "      weights:",
                "        crm: 0",
                "        bililng: 100",
                ""), "", ""));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("entities.contact.conflict.weights.crm", 11),
                org.assertj.core.groups.Tuple.tuple("entities.contact.conflict.weights.bililng", 12),
                org.assertj.core.groups.Tuple.tuple("entities.contact.conflict.weights", 10));
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.problem()).isEqualTo("the weight of crm is 0, and a weight must be positive");
            assertThat(problem.fix()).contains("crm: 50");
        });
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.problem()).isEqualTo("'bililng' is not a system contact is mapped to");
            assertThat(problem.fix()).startsWith("did you mean 'billing'?");
        });
        assertThat(problems).anySatisfy(problem -> {
            assertThat(problem.problem()).isEqualTo("weighted needs a weight for every system of contact, and billing has none");
            assertThat(problem.fix()).contains("add billing: <a positive weight> under conflict.weights");
        });
    }

    @Test
    void weightedWithoutWeightsNamesEverySystemAndWeightsWithoutWeightedAreRefused() {
        assertThat(problems(model("    conflict: {strategy: weighted}\n", "", "")))
                .extracting(ModelProblem::problem, ModelProblem::line).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "weighted needs a weight for every system of contact, and billing has none", 8),
                        org.assertj.core.groups.Tuple.tuple(
                                "weighted needs a weight for every system of contact, and crm has none", 8));
        assertThat(problems(model("    conflict: {strategy: review, weights: {crm: 1, billing: 2}}\n", "", "")))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("entities.contact.conflict.weights");
                    assertThat(problem.problem()).contains("no strategy of contact is weighted");
                    assertThat(problem.fix()).isEqualTo("write strategy: weighted (or a field's), or remove weights");
                });
    }
}
