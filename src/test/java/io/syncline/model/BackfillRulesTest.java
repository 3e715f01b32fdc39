package io.syncline.model;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A backfill the model cannot run is refused at start-up, each mistake with its line and fix. */
class BackfillRulesTest {

    private static final String MODEL = """
            systems:
              erp: {type: jdbc, datasource: default}
              billing: {type: jdbc, datasource: default}
              reports: {type: jdbc, datasource: default}
            entities:
              customer:
                key: id
                master: erp
                webhooks: {erp: /webhooks/erp/customers}
                fields: {id: {type: string}, tier: {type: string}}
                mappings:
                  erp:
                    key: id
                    table: erp_customer
                    fields: [{field: id, path: id}, {field: tier, path: tier}]
                  billing:
                    key: id
                    table: billing_customer
                    fields: [{field: id, path: id}, {field: tier, path: tier}]
                  reports:
                    key: id
                    table: report_customer
                    fields: [{field: id, path: id, direction: in}]
            backfills:
              good:
                entity: customer
                source: erp
                filter: {tier: gold}
              Bad_Name:
                entity: customer
                source: books
              into-itself:
                entity: customer
                source: erp
                targets: [erp, reports]
                filter: {level: gold}
                batchSize: 0
                maxUpdateShare: 1.5
            """;

    @Test
    void eachMistakeIsLocated() {
        List<ModelProblem> problems = ModelValidationTest.problems(name -> null,
                new ModelFile("file:models/backfills.syncline.yaml", MODEL.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("backfills.Bad_Name", 29),
                Tuple.tuple("backfills.Bad_Name.source", 31),
                Tuple.tuple("backfills.into-itself.targets", 35),
                Tuple.tuple("backfills.into-itself.targets", 35),
                Tuple.tuple("backfills.into-itself.filter.level", 36),
                Tuple.tuple("backfills.into-itself.batchSize", 37),
                Tuple.tuple("backfills.into-itself.maxUpdateShare", 38));
        assertThat(problems).extracting(ModelProblem::problem).contains(
                "backfill name 'Bad_Name' is not kebab-case",
                "customer has no mapping for 'books'",
                "'erp' is the backfill's source",
                "customer's mapping for 'reports' writes no field",
                "'level' is not a canonical field of customer");
    }
}
