package io.syncline.model;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a REST system's requests are written (form-encoded bodies, an idempotency key) and the
 * {@code last-id} pagination, as the model reads and checks them.
 */
class RestRequestSettingsTest {

    private static final Environment SECRETS = Map.<String, String>of()::get;

    private static String model(String billing, String resource) {
        return """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com/api"}
                  billing:
                %s
                entities:
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields: {id: {type: string}, email: {type: string}}
                    mappings:
                      crm:
                        key: id
                        fields: [{field: id, path: id}, {field: email, path: email}]
                      billing:
                        key: id
                        resource: %s
                        fields: [{field: id, path: metadata.crm_id}, {field: email, path: email}]
                    match: [idMap, email]
                """.formatted(billing.indent(4).stripTrailing(), resource);
    }

    private static ModelFile file(String yaml) {
        return new ModelFile("file:billing.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ModelProblem> problems(String yaml) {
        return ModelValidationTest.problems(SECRETS, file(yaml));
    }

    @Test
    void mistakesInTheRequestSettingsAreReportedAtTheirLine() {
        String yaml = model("""
                type: rest
                baseUrl: https://billing.example.com
                bodies: xml
                idempotencyKey: "Idempotency Key"
                pagination: {style: last-id, pageSize: 100}""", "/customers");

        List<ModelProblem> problems = problems(yaml);

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                Tuple.tuple("systems.billing.bodies", 6));
        assertThat(problems(yaml.replace("bodies: xml", "bodies: form"))).extracting(ModelProblem::path, ModelProblem::line)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("systems.billing.idempotencyKey", 7),
                        Tuple.tuple("systems.billing.pagination", 8));
    }

    @Test
    void aMoreFieldOutsideLastIdPagesIsReported() {
        List<ModelProblem> problems = problems(model("""
                type: rest
                baseUrl: https://billing.example.com
                pagination: {style: cursor, cursorParam: after, cursorField: next, moreField: has_more}""", "/customers"));

        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("systems.billing.pagination.moreField");
            assertThat(problem.line()).isEqualTo(6);
        });
    }
}
