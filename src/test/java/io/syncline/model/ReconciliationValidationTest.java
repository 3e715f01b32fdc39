package io.syncline.model;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reconciliation jobs are validated with the model: every mistake located by file and line, with its fix. */
class ReconciliationValidationTest {

    @Test
    void everyJobMistakeIsReportedWithFileLineAndFix() throws IOException {
        ModelFile file = ModelValidationTest.resource("reconcile-mistakes.syncline.yaml");
        List<ModelProblem> problems = ModelValidationTest.problems(name -> null, file);
        List<String> texts = problems.stream().map(ModelProblem::toString).toList();

        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:models/reconcile-mistakes.syncline.yaml");
            assertThat(problem.line()).isPositive();
            assertThat(problem.fix()).isNotBlank();
        });
        assertThat(problems).noneSatisfy(problem -> assertThat(problem.path()).startsWith("reconciliations.good-one"));
        // an auto-fix without fixEndpoint goes to the model's own apply route, which must write the other side
        assertThat(problems).noneSatisfy(problem -> assertThat(problem.path()).startsWith("reconciliations.default-fix"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("reconciliations.fix-read-only")
                .contains("archive has no mapping of contact with fields to write"));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                org.assertj.core.groups.Tuple.tuple("reconciliations.bad-cron.schedule", 54),
                org.assertj.core.groups.Tuple.tuple("reconciliations.bad-side.sideB", 58),
                org.assertj.core.groups.Tuple.tuple("reconciliations.wrong-fix.responses.onlyInB", 63));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'every night' is not a Quartz cron expression"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("unknown system 'biling'").contains("did you mean 'billing'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("auto-fix is only for records the master (crm) has")
                .contains("auto-fix belongs to onlyInA"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'soon' is not a duration"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("truncationThreshold: 80.0 is not a share"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("pageSize: page size 0 is out of range"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("compare: 'phone' is not read by both sides"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("unknown key 'respones'").contains("responses"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'delete' is not allowed").contains("report, auto-fix, quarantine"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("reconciliations.rest-bisection.strategy")
                .contains("bisection compares checksums computed inside both databases, but 'crm' is not a jdbc system")
                .contains("use strategy: full"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'checksums' is not allowed").contains("full, bisection"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("reconciliations.maintained-without-bisection.checksums")
                .contains("maintained checksums serve checksum bisection, but this job pulls in full"));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                org.assertj.core.groups.Tuple.tuple("reconciliations.bad-expect.expect[0].reason", 113),
                org.assertj.core.groups.Tuple.tuple("reconciliations.bad-expect.expect[0].bucket", 113),
                org.assertj.core.groups.Tuple.tuple("reconciliations.bad-expect.expect[0].where.phone", 113));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("unknown bucket 'onlyInC'").contains("onlyInA"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'phone' is not a field the job compares"));
        assertThat(problems).hasSize(16);
    }

    @Test
    void aCorrectJobCompilesWithItsDefaults() throws IOException {
        ModelFile file = ModelValidationTest.resource("reconcile-mistakes.syncline.yaml");
        SyncModel model = new ModelReader().read(List.of(file)).model();
        ReconciliationDefinition job = model.reconciliations().get("good-one");

        assertThat(job.toleranceOrDefault()).isEqualTo("1h");
        assertThat(job.pageSizeOrDefault()).isEqualTo(500);
        assertThat(job.truncationThresholdOrDefault()).isEqualTo(0.8);
        assertThat(job.responses().onlyInB()).isEqualTo(ReconciliationDefinition.Response.REPORT);
        assertThat(job.strategy()).isEqualTo(ReconciliationDefinition.Strategy.FULL);
        assertThat(ReconciliationRules.timestampField(job, model.entities().get("contact"))).isEqualTo("updatedAt");
        assertThat(new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                .compile(List.of(ModelValidationTest.resource("reconcile-good.syncline.yaml"))).model().reconciliations())
                .containsKey("contacts-nightly");
    }

    @Test
    void aQuickBooksSideNeedsOnlyItsEntityToBePulledWhereAPlainRestSideNeedsPagination() {
        ModelFile model = new ModelFile("file:models/ledger.syncline.yaml", """
                systems:
                  quickbooks:
                    type: quickbooks
                    settings: {realmId: "1234567890"}
                    auth: {clientId: {env: QBO_CLIENT_ID}, clientSecret: {env: QBO_CLIENT_SECRET}}
                  shop:
                    type: rest
                    baseUrl: https://shop.example.com/api
                entities:
                  payment:
                    key: id
                    master: shop
                    fields: {id: {type: string}, amount: {type: decimal}}
                    mappings:
                      shop: {key: id, resource: /payments, fields: [{field: id, path: id}, {field: amount, path: amount}]}
                      quickbooks: {key: Id, resource: Payment, fields: [{field: id, path: PrivateNote}, {field: amount, path: TotalAmt}]}
                  refund:
                    key: id
                    master: shop
                    fields: {id: {type: string}, amount: {type: decimal}}
                    mappings:
                      shop: {key: id, resource: /refunds, fields: [{field: id, path: id}, {field: amount, path: amount}]}
                      quickbooks: {key: Id, fields: [{field: id, path: PrivateNote}, {field: amount, path: TotalAmt}]}
                reconciliations:
                  payments-nightly: {entity: payment, sideA: shop, sideB: quickbooks, tolerance: 0s, numericTolerances: {amount: 0.01}}
                  refunds-nightly: {entity: refund, sideA: quickbooks, sideB: shop, tolerance: 0s}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<ModelProblem> problems = ModelValidationTest.problems(name -> null, model);

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                org.assertj.core.groups.Tuple.tuple("reconciliations.payments-nightly.sideA", 25),
                org.assertj.core.groups.Tuple.tuple("reconciliations.refunds-nightly.sideA", 26),
                org.assertj.core.groups.Tuple.tuple("reconciliations.refunds-nightly.sideB", 26));
        assertThat(problems).noneSatisfy(problem -> assertThat(problem.path()).isEqualTo("reconciliations.payments-nightly.sideB"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("reconciliations.refunds-nightly.sideA")).singleElement()
                .satisfies(problem -> assertThat(problem.toString()).contains("names no entity to pull").contains("resource: Payment"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("reconciliations.payments-nightly.sideA")).singleElement()
                .satisfies(problem -> assertThat(problem.toString()).contains("declares no pagination"));
    }
}
