package io.syncline.model;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model asks of each system only what its type can do: a mapping that needs an ability its
 * system's type lacks fails at start-up naming the file, the line and the missing ability; a type
 * the application does not have is named with the types it has.
 */
class SystemTypeAbilitiesTest {

    private static final Environment SECRETS = Map.of("SF_CLIENT_ID", "id", "SF_CLIENT_SECRET", "secret")::get;

    @Test
    void aMappingThatNeedsAnAbilityItsTypeLacksIsRefusedWithFileLineAndAbility() throws IOException {
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, ModelValidationTest.resource("ability-mistakes.syncline.yaml"));

        assertThat(problems).extracting(ModelProblem::file).containsOnly("file:models/ability-mistakes.syncline.yaml");
        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).containsExactlyInAnyOrder(
                Tuple.tuple(12, "systems.sheet.type"),
                Tuple.tuple(29, "entities.contact.mappings.sfdc"),
                Tuple.tuple(32, "entities.contact.mappings.sfdc.erase"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.mappings.sfdc")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("system 'sfdc' is of type salesforce, which cannot write")
                            .contains("contact from crm is applied");
                    assertThat(problem.fix()).contains("direction: in");
                });
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.mappings.sfdc.erase")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("cannot erase"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.sheet.type")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).isEqualTo("unknown type 'spreadsheet'");
                    assertThat(problem.fix()).contains("jdbc").contains("rest").contains("salesforce");
                });
    }

    @Test
    void aSystemOnlyReadFromNeedsNoWriteAbility() {
        String model = """
                systems:
                  crm: {type: jdbc, datasource: default}
                  sfdc: {type: salesforce, loginUrl: "https://example.my.salesforce.com", clientId: {env: SF_CLIENT_ID}, clientSecret: {env: SF_CLIENT_SECRET}}
                entities:
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields: {id: {type: string}, email: {type: string}}
                    mappings:
                      crm:
                        key: id
                        table: crm_contact
                        fields: [{field: id, path: id}, {field: email, path: email}]
                      sfdc:
                        key: Id
                        sobject: Contact
                        fields: [{field: id, path: Id, direction: in}, {field: email, path: Email, direction: in}]
                """;
        assertThat(ModelValidationTest.problems(SECRETS, new ModelFile("file:read-only.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }
}
