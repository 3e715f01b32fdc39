package io.syncline.connector.rest;

import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelReader;
import io.syncline.testsupport.ModelProblems;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A REST system's {@code objects}: a path alone, or a table of what every object shares and each
 * object's own (path, item, envelope, items, write), its mistakes reported at their line.
 */
class RestObjectsTest {

    private static String model(String objects, String resource) {
        return """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com/api"}
                  desk:
                    type: rest
                    baseUrl: https://desk.example.com
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
                      desk:
                        key: id
                        resource: %s
                        fields: [{field: email, path: email}]
                    match: [idMap]
                """.formatted(objects.indent(4).stripTrailing(), resource);
    }

    private static ModelFile file(String yaml) {
        return new ModelFile("file:desk.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static RestSettings desk(String yaml) {
        return RestSettings.of(new ModelReader().read(List.of(file(yaml))).model().systems().get("desk"));
    }

    @Test
    void aTableGivesEachObjectItsOwnSettingsOverTheSharedOnes() {
        String yaml = model("""
                objects:
                  path: /api/v2/{object}
                  item: /api/v2/{object}/{id}.json
                  write: {update: PUT}
                  users: {envelope: user, items: users}
                  Contacts: {path: /Contacts, envelope: {request: "Contacts[0]", answer: "Contacts[0]"}, write: {create: PUT, createAt: collection}}""",
                "users");

        RestSettings desk = desk(yaml);

        assertThat(desk.objectOf("users")).isEqualTo(new RestObjects.Spec("/api/v2/users", "/api/v2/users/{id}.json",
                new Envelope("user", "user"), "users", new Write(null, Write.UpdateMethod.PUT)));
        assertThat(desk.objectOf("Contacts")).isEqualTo(new RestObjects.Spec("/Contacts", "/api/v2/Contacts/{id}.json",
                new Envelope("Contacts[0]", "Contacts[0]"), null, new Write(Write.CreateMethod.PUT,
                        Write.UpdateMethod.PUT, Write.CreateAt.COLLECTION)));
        assertThat(desk.objectOf("organizations").path()).isEqualTo("/api/v2/organizations");
        assertThat(desk.objectOf("/custom/path")).isEqualTo(new RestObjects.Spec("/custom/path", null, null, null,
                new Write(null, Write.UpdateMethod.PUT)));
        assertThat(ModelProblems.of(Map.<String, String>of()::get, file(yaml))).isEmpty();
    }

    @Test
    void thePathAloneStillPlacesEveryObject() {
        RestSettings desk = desk(model("objects: /crm/v3/objects/{object}", "contacts"));

        assertThat(desk.resourceOf("contacts")).isEqualTo("/crm/v3/objects/contacts");
        assertThat(desk.objectOf("contacts").envelope()).isNull();
    }

    @Test
    void mistakesInTheTableAreReportedAtTheirLine() {
        String yaml = model("""
                objects:
                  item: /api/v2/{object}
                  users: {envelope: "user[1]", itms: users}""", "tickets");

        List<ModelProblem> problems = ModelProblems.of(Map.<String, String>of()::get, file(yaml));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                Tuple.tuple("systems.desk.objects.item", 7),
                Tuple.tuple("systems.desk.objects.users.itms", 8),
                Tuple.tuple("systems.desk.objects.users.envelope.request", 8),
                Tuple.tuple("entities.contact.mappings.desk.resource", 21));
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("mappings.desk.resource")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("place no object 'tickets'"));
    }

    @Test
    void anEnvelopeOnAMappingOfADatabaseIsRefused() {
        String yaml = """
                systems:
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    fields: {id: {type: string}}
                    mappings:
                      erp:
                        key: id
                        table: contacts
                        envelope: user
                        fields: [{field: id, path: id}]
                """;

        assertThat(ModelProblems.of(Map.<String, String>of()::get, file(yaml)))
                .extracting(ModelProblem::path, ModelProblem::line)
                .contains(Tuple.tuple("entities.contact.mappings.erp.envelope", 11));
    }
}
