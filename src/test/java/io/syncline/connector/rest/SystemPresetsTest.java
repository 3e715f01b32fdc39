package io.syncline.connector.rest;

import io.syncline.model.Environment;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelReader;
import io.syncline.model.SystemPresets;
import io.syncline.testsupport.ModelProblems;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A system of a preset's type ({@code type: hubspot}) names only what is its own: the preset
 * ({@code presets/hubspot.yaml}) supplies the rest, its own settings win key by key, its mistakes
 * are reported at their line, and a mapping names its object alone.
 */
class SystemPresetsTest {

    private static final Environment SECRETS = Map.of("HUBSPOT_TOKEN", "pat-na1-0000", "HUBSPOT_CLIENT_SECRET", "secret",
            "QBO_CLIENT_ID", "ABqbo", "QBO_CLIENT_SECRET", "secret", "QBO_VERIFIER_TOKEN", "verifier",
            "SYNCLINE_TOKEN_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")::get;

    private static String model(String hubspot, String resource) {
        return model("hubspot", hubspot, resource);
    }

    /** A model whose system {@code name} ({@code settings}, indented by the caller's YAML) has a mapping to {@code resource}. */
    private static String model(String name, String settings, String resource) {
        return """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com/api"}
                  %s:
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
                      %s:
                        key: id
                        resource: %s
                        fields: [{field: id, path: crm_contact_id}, {field: email, path: email}]
                    match: [idMap, email]
                """.formatted(name, settings.indent(4).stripTrailing(), name, resource);
    }

    private static ModelReader.Result read(String yaml) {
        return new ModelReader().read(List.of(new ModelFile("file:hubspot.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aHubSpotSystemNamesItsTokenAndSecretAndThePresetSuppliesTheRest() {
        String yaml = model("""
                type: hubspot
                auth: {token: {env: HUBSPOT_TOKEN}}
                webhook: {secret: {env: HUBSPOT_CLIENT_SECRET}}""", "contacts");

        RestSettings hubspot = RestSettings.of(read(yaml).model().systems().get("hubspot"));

        assertThat(hubspot.type()).isEqualTo("hubspot");
        assertThat(hubspot.baseUrl()).isEqualTo("https://api.hubapi.com");
        assertThat(hubspot.auth().type()).isEqualTo(RestSettings.AuthType.BEARER);
        assertThat(hubspot.auth().token()).isNotNull();
        assertThat(hubspot.pagination().style()).isEqualTo(RestSettings.PaginationStyle.CURSOR);
        assertThat(hubspot.pagination().pageSize()).isEqualTo(100);
        assertThat(hubspot.pagination().cursorField()).isEqualTo("paging.next.after");
        assertThat(hubspot.webhook().signature()).isEqualTo(RestSettings.SignatureScheme.HUBSPOT_V3);
        assertThat(hubspot.webhook().secret()).isNotNull();
        assertThat(hubspot.webhook().events().list()).isEqualTo("[]");
        assertThat(hubspot.webhook().fetch()).isTrue();
        assertThat(hubspot.resourceOf("contacts")).isEqualTo("/crm/v3/objects/contacts");
        assertThat(hubspot.resourceOf("companies")).isEqualTo("/crm/v3/objects/companies");
        // deals at their object type id, as HubSpot's published description addresses them
        assertThat(hubspot.resourceOf("deals")).isEqualTo("/crm/v3/objects/0-3");
        assertThat(hubspot.resourceOf("/crm/v3/objects/contacts")).isEqualTo("/crm/v3/objects/contacts");
        assertThat(hubspot.secrets()).containsOnlyKeys("auth.token", "webhook.secret");
        assertThat(ModelProblems.of(SECRETS, new ModelFile("file:hubspot.syncline.yaml",
                yaml.getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void theSystemsOwnSettingsWinKeyByKey() {
        RestSettings hubspot = RestSettings.of(read(model("""
                type: hubspot
                baseUrl: http://127.0.0.1:8089
                auth: {token: {env: HUBSPOT_TOKEN}}
                rateLimit: {requestsPerSecond: 19}
                webhook: {secret: {env: HUBSPOT_CLIENT_SECRET}}""", "contacts")).model().systems().get("hubspot"));

        assertThat(hubspot.baseUrl()).isEqualTo("http://127.0.0.1:8089");
        assertThat(hubspot.rateLimit().requestsPerSecond()).isEqualTo(19.0);
        assertThat(hubspot.rateLimit().burst()).as("the system's rate limit is its own whole, not the preset's burst")
                .isNull();
        assertThat(hubspot.auth().type()).isEqualTo(RestSettings.AuthType.BEARER);
    }

    @Test
    void mistakesInAPresetSystemAreReportedAtTheirLine() {
        String yaml = model("""
                type: hubspot
                auth: {tokn: {env: HUBSPOT_TOKEN}}
                webhook: {secret: {env: HUBSPOT_CLIENT_SECRET}}""", "crm/v3 contacts");

        List<ModelProblem> problems = ModelProblems.of(SECRETS, new ModelFile("file:hubspot.syncline.yaml",
                yaml.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).contains(
                Tuple.tuple("systems.hubspot.auth.tokn", 5),
                Tuple.tuple("entities.contact.mappings.hubspot.resource", 19));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.mappings.hubspot.resource"))
                .singleElement().satisfies(problem -> assertThat(problem.problem()).contains("not the name of an object of hubspot"));
    }

    @Test
    void aQuickBooksSystemNamesItsAppAndCompanyAndItsEntitiesLiveUnderTheCompany() {
        String yaml = model("quickbooks", """
                type: quickbooks
                settings: {realmId: "9130347596841234"}
                auth: {clientId: {env: QBO_CLIENT_ID}, clientSecret: {env: QBO_CLIENT_SECRET}}
                webhook: {secret: {env: QBO_VERIFIER_TOKEN}}""", "Customer");

        RestSettings quickbooks = RestSettings.of(read(yaml).model().systems().get("quickbooks"));

        assertThat(quickbooks.type()).isEqualTo("quickbooks");
        assertThat(quickbooks.baseUrl()).isEqualTo("https://quickbooks.api.intuit.com");
        assertThat(quickbooks.resourceOf("Customer")).isEqualTo("/v3/company/9130347596841234/Customer");
        assertThat(quickbooks.settings()).containsEntry("minorversion", "75");
        assertThat(quickbooks.auth().type()).isEqualTo(RestSettings.AuthType.OAUTH2_AUTHORIZATION_CODE);
        assertThat(quickbooks.auth().authorizationUrl()).isEqualTo("https://appcenter.intuit.com/connect/oauth2");
        assertThat(quickbooks.auth().tokenUrl()).isEqualTo("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer");
        assertThat(quickbooks.auth().scope()).isEqualTo("com.intuit.quickbooks.accounting");
        assertThat(quickbooks.webhook().signature()).isEqualTo(RestSettings.SignatureScheme.HMAC);
        assertThat(quickbooks.webhook().encoding()).isEqualTo(RestSettings.SignatureEncoding.BASE64);
        assertThat(quickbooks.webhook().header()).isEqualTo("intuit-signature");
        assertThat(quickbooks.webhookEvents().only()).containsExactly(Map.entry("^realmId", "9130347596841234"));
        assertThat(quickbooks.webhookEvents().id()).isEqualTo("^realmId+name+id+lastUpdated");
        assertThat(ModelProblems.of(SECRETS, new ModelFile("file:quickbooks.syncline.yaml",
                yaml.getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void aQuickBooksSystemWithoutItsCompanyIsRefusedNamingTheSetting() {
        String yaml = model("quickbooks", """
                type: quickbooks
                auth: {clientId: {env: QBO_CLIENT_ID}, clientSecret: {env: QBO_CLIENT_SECRET}}
                webhook: {secret: {env: QBO_VERIFIER_TOKEN}}""", "Customer");

        assertThat(ModelProblems.of(SECRETS, new ModelFile("file:quickbooks.syncline.yaml",
                yaml.getBytes(StandardCharsets.UTF_8)))).singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("systems.quickbooks.settings.realmId");
                    assertThat(problem.problem()).contains("needs the setting realmId");
                });
    }

    @Test
    void aTypeWithoutAPresetIsReadAsWritten() {
        assertThat(SystemPresets.of("rest")).isEmpty();
        assertThat(SystemPresets.of("spreadsheet")).isEmpty();
        assertThat(SystemPresets.of("../presets/hubspot")).isEmpty();
        assertThat(SystemPresets.of("hubspot")).isPresent();
    }
}
