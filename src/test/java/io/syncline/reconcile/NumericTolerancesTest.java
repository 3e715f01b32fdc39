package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.testsupport.BuiltInSystemTypes;
import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reconciliation's numeric tolerances ({@code numericTolerances: {amount: 0.01}}): two records whose
 * only differences are numbers within their field's tolerance are equal; a difference beyond it, or
 * in another field, is still reported, with only the fields that really differ; and start-up refuses
 * a tolerance on a field the job does not compare, on a field that is no number, or below zero.
 */
class NumericTolerancesTest {

    private static final String MODEL = """
            systems:
              ledger: {type: jdbc, datasource: default}
              billing: {type: jdbc, datasource: default}
            entities:
              invoice:
                key: id
                master: ledger
                fields:
                  id: {type: string}
                  amount: {type: decimal}
                  quantity: {type: integer}
                  note: {type: string}
                mappings:
                  ledger: {key: id, table: invoice, fields: [{field: id, path: id}, {field: amount, path: amount},
                           {field: quantity, path: quantity}, {field: note, path: note}]}
                  billing: {key: id, table: invoice, fields: [{field: id, path: id}, {field: amount, path: amount},
                            {field: quantity, path: quantity}, {field: note, path: note}]}
            reconciliations:
              invoices: {entity: invoice, sideA: ledger, sideB: billing, tolerance: 0s, numericTolerances: {amount: 0.01}}
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CompiledModel model =
            new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("tolerances", MODEL.getBytes(StandardCharsets.UTF_8))));
    private final ReconciliationJob job = ReconciliationJob.of("invoices", model.model());

    private DiffProcessor diff() {
        return new DiffProcessor(job, Instant.now(), false, MAPPER, ExpectedDifferences.none(),
                ComparedReferences.of(job, model.transformer().entity("invoice")));
    }

    private static String invoice(String amount, int quantity, String note) {
        return "{\"amount\":\"" + amount + "\",\"quantity\":" + quantity + ",\"note\":\"" + note + "\"}";
    }

    @Test
    void amountsACentApartAreEqualAndFurtherApartAreNot() {
        DiffProcessor diff = diff();

        assertThat(diff.classify(new DiffRow("i-1", null, null, invoice("100", 1, "x"), invoice("100.01", 1, "x")))).isNull();
        assertThat(diff.classify(new DiffRow("i-2", null, null, invoice("99.995", 1, "x"), invoice("100", 1, "x")))).isNull();
        assertThat(diff.mismatched).isZero();
        assertThat(diff.presentInA).as("counted equal, not in flight").isZero();
        assertThat(diff.inFlight).isZero();

        Difference beyond = diff.classify(new DiffRow("i-3", null, null, invoice("100", 1, "x"), invoice("100.02", 1, "x")));
        assertThat(beyond.bucket()).isEqualTo(Bucket.mismatched);
        assertThat(beyond.fields()).singleElement().satisfies(field -> {
            assertThat(field.field()).isEqualTo("amount");
            assertThat(field.a()).isEqualTo("100");
            assertThat(field.b()).isEqualTo("100.02");
        });
    }

    @Test
    void aDifferenceInAnotherFieldIsReportedWithoutTheToleratedOne() {
        DiffProcessor diff = diff();

        Difference found = diff.classify(new DiffRow("i-4", null, null, invoice("100", 1, "x"), invoice("100.01", 2, "x")));
        assertThat(found.fields()).extracting(Difference.FieldDifference::field).containsExactly("quantity");
        assertThat(diff.mismatched).isEqualTo(1);
    }

    @Test
    void aToleranceOnAFieldTheJobDoesNotCompareOrThatIsNoNumberOrBelowZeroStopsStartUp() {
        String model = MODEL.replace("numericTolerances: {amount: 0.01}", "numericTolerances: {amount: -1, note: 1, total: 2}");
        List<ModelProblem> problems = ModelProblems.of(name -> null, new ModelFile("file:tolerances.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::problem).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("reconciliations.invoices.numericTolerances.amount",
                        "a tolerance must be a number of zero or more"),
                org.assertj.core.groups.Tuple.tuple("reconciliations.invoices.numericTolerances.note",
                        "'note' is no number (its type is string)"),
                org.assertj.core.groups.Tuple.tuple("reconciliations.invoices.numericTolerances.total",
                        "'total' is not a field this job compares"));
    }
}
