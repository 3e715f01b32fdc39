package io.syncline.model;

import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A mapping's {@code schemaDrift} is {@code pause} or {@code report}; anything else is named at its line with the fix. */
class SchemaDriftValidationTest {

    private static List<ModelProblem> problems(String schemaDrift) {
        String model = """
                systems:
                  crm: {type: jdbc, datasource: default}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields:
                      id: {type: string}
                      phone: {type: string}
                    mappings:
                      crm:
                        key: id
                        table: crm_contact
                        schemaDrift: %s
                        fields: [{field: id, path: id, required: reject}, {field: phone, path: phone, required: reject}]
                      billing:
                        key: id
                        table: billing_contact
                        fields: [{field: id, path: id}, {field: phone, path: phone}]
                """.formatted(schemaDrift);
        return ModelProblems.of(name -> null, new ModelFile("file:drift.syncline.yaml", model.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pauseAndReportAreTaken() {
        assertThat(problems("pause")).isEmpty();
        assertThat(problems("report")).isEmpty();
    }

    @Test
    void anyOtherValueIsNamedWithTheFix() {
        assertThat(problems("stop")).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.mappings.crm.schemaDrift");
            assertThat(problem.line()).isEqualTo(16);
            assertThat(problem.toString()).contains("unknown schemaDrift 'stop'").contains("pause, report");
        });
    }
}
