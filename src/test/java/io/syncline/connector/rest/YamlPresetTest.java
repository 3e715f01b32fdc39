package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.model.Environment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelReader;
import io.syncline.model.ModelValidator;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SyncModel;
import io.syncline.testsupport.BuiltInSystemTypes;
import io.syncline.testsupport.SaasStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A preset added as YAML alone (src/test/resources/presets/acme-crm.yaml, no Java): a model of
 * its type validates with rest's rules and abilities, names its object alone, and is pulled
 * page by page by the rest type.
 */
class YamlPresetTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("ACME_TOKEN", SaasStub.TOKEN);

    private SaasStub stub;

    @BeforeEach
    void start() throws Exception {
        stub = new SaasStub();
        stub.records(SaasStub.hubspotContacts("c-", 250));
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private static String model(String baseUrl) {
        return """
                systems:
                  acme:
                    type: acme-crm
                    baseUrl: "%s"
                    auth: {token: {env: ACME_TOKEN}}
                entities:
                  contact:
                    key: id
                    master: acme
                    webhooks: {acme: /webhooks/acme/contacts}
                    fields: {id: {type: string}, email: {type: string}}
                    mappings:
                      acme:
                        key: id
                        resource: contacts
                        fields: [{field: id, path: id}, {field: email, path: email}]
                """.formatted(baseUrl);
    }

    private static ModelReader.Result read(String yaml) {
        return new ModelReader().read(List.of(new ModelFile("file:acme.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8))));
    }

    private static List<ModelProblem> problems(ModelReader.Result read, Environment environment) {
        ProblemReporter problems = read.problems();
        new ModelValidator(environment, BuiltInSystemTypes.CATALOG).validate(read.model(), problems);
        return problems.problems();
    }

    @Test
    void aSystemOfTheYamlPresetsTypeValidatesAsARestSystem() {
        ModelReader.Result read = read(model(stub.baseUrl()));

        assertThat(BuiltInSystemTypes.CATALOG.abilitiesOf("acme-crm")).isEqualTo(RestSystemType.ABILITIES);
        assertThat(problems(read, ENVIRONMENT::get)).isEmpty();
    }

    @Test
    void itsMistakesAreReportedByRestsRules() {
        ModelReader.Result read = read(model("ftp://nowhere"));

        assertThat(problems(read, name -> null)).extracting(ModelProblem::path, ModelProblem::problem).contains(
                org.assertj.core.groups.Tuple.tuple("systems.acme.baseUrl", "a REST system needs an http(s) baseUrl"),
                org.assertj.core.groups.Tuple.tuple("systems.acme.auth.token", "environment variable ACME_TOKEN is not set"));
    }

    @Test
    void itIsPulledPageByPageThroughRest() throws Exception {
        SyncModel model = read(model(stub.baseUrl())).model();
        RestSettings acme = RestSettings.of(model.systems().get("acme"));
        List<String> pulled = new ArrayList<>();

        PullResult result = new RestRecordPuller(HttpClient.newHttpClient(), new ObjectMapper(), ENVIRONMENT::get).pull(
                new PullRequest("contact", "acme", model.systems().get("acme"), model.entities().get("contact").mappings().get("acme"), 100),
                page -> page.forEach(record -> pulled.add((String) record.get("id"))));

        assertThat(acme.type()).isEqualTo("acme-crm");
        assertThat(acme.resourceOf("contacts")).isEqualTo("/crm/v3/objects/contacts");
        assertThat(result).isEqualTo(PullResult.complete(3, 250, null));
        assertThat(pulled).hasSize(250).startsWith("c-00001", "c-00002");
    }
}
