package io.syncline.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A system's settings are its type's to bind, yet a mistake in them is reported as any other in
 * the model: the same words, at the key's path, file and line.
 */
class SystemSettingsBindingTest {

    private static final Environment SECRETS = name -> "set";

    private static List<String> problems(String yaml) {
        return ModelValidationTest.problems(SECRETS, new ModelFile("file:models/settings.syncline.yaml",
                yaml.getBytes(StandardCharsets.UTF_8))).stream().map(ModelProblem::toString).filter(problem -> problem.contains(" at systems.")).sorted()
                .toList();
    }

    private static final String ENTITY = """
            entities:
              contact:
                master: erp
                key: email
                fields:
                  email: {type: string}
                mappings:
                  erp:
                    key: id
                    table: contacts
                    fields:
                      - {canonical: email, path: email}
            """;

    /**
     * The rules go on with what bound: an auth whose type is not allowed has none. A preset's signed
     * webhook without a secret is no mistake while no entity takes webhooks from the system.
     */
    @Test
    void aMistakeInASystemsSettingsIsReportedAtItsKeysLine() {
        assertThat(problems("""
                systems:
                  erp:
                    type: jdbc
                    datasource: erp
                    colour: blue
                  crm:
                    type: rest
                    baseUrl: https://api.example.com
                    auth:
                      type: sideways
                      token: {env: CRM_TOKEN}
                    pagination: {style: offset, pageSize: lots, sort: {by: id}}
                  hub:
                    type: hubspot
                    auth: {token: {env: HUBSPOT_TOKEN}, tpe: bearer}
                    extra:
                      nested: 1
                  sfdc:
                    type: salesforce
                    loginUrl: https://login.salesforce.com
                    clientId: {env: SF_ID}
                    clientSecret: {env: SF_SECRET}
                    auth: magic
                """ + ENTITY)).containsExactly(
                "file:models/settings.syncline.yaml:10 at systems.crm.auth.type: 'sideways' is not allowed here."
                        + " Fix: use one of none, bearer, api-key, basic, oauth2-client-credentials, oauth2-authorization-code,"
                        + " oauth2-refresh-token, google-service-account",
                "file:models/settings.syncline.yaml:12 at systems.crm.pagination.pageSize: 'lots' is not allowed here."
                        + " Fix: write a value of type integer",
                "file:models/settings.syncline.yaml:12 at systems.crm.pagination.sort: unknown key 'sort'. Fix: use one of"
                        + " cursorField, cursorParam, itemsField, limitParam, moreField, nextUrlField, offsetParam, pageParam,"
                        + " pageSize, style, totalField",
                "file:models/settings.syncline.yaml:15 at systems.hub.auth.tpe: unknown key 'tpe'. Fix: use one of"
                        + " authorizationUrl, clientAuth, clientId, clientSecret, header, in, key, param, password, redirectUri,"
                        + " refreshToken, scheme, scope, subject, token, tokenUrl, type, username",
                "file:models/settings.syncline.yaml:16 at systems.hub.extra: unknown key 'extra'. Fix: use one of auth, baseUrl,"
                        + " bodies, headers, idempotencyKey, objects, pagination, preset, rateLimit, readBack, settings, webhook",
                "file:models/settings.syncline.yaml:23 at systems.sfdc.auth: 'magic' is not allowed here. Fix: use one of"
                        + " client-credentials, jwt-bearer, refresh-token, username-password",
                "file:models/settings.syncline.yaml:5 at systems.erp.colour: unknown key 'colour'. Fix: use one of datasource,"
                        + " password, url, username",
                "file:models/settings.syncline.yaml:9 at systems.crm.auth: auth needs a type. Fix: write type: none | bearer"
                        + " | api-key | basic | oauth2-client-credentials | oauth2-authorization-code | oauth2-refresh-token | google-service-account");
    }

    @Test
    void aSignedWebhookNeedsItsSecretWhereAnEntityTakesWebhooksFromIt() {
        String yaml = """
                systems:
                  erp: {type: jdbc, datasource: erp}
                  hub:
                    type: hubspot
                    auth: {token: {env: HUBSPOT_TOKEN}}
                entities:
                  contact:
                    master: hub
                    key: email
                    webhooks: {hub: /webhooks/hub/contacts}
                    fields:
                      email: {type: string}
                    mappings:
                      hub:
                        key: id
                        resource: contacts
                        fields:
                          - {field: email, path: properties.email}
                      erp:
                        key: id
                        table: contacts
                        fields:
                          - {field: email, path: email}
                """;
        List<String> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:models/webhooks.syncline.yaml",
                yaml.getBytes(StandardCharsets.UTF_8))).stream().map(ModelProblem::toString).toList();

        assertThat(problems).contains("file:models/webhooks.syncline.yaml:10 at entities.contact.webhooks.hub: hub's webhook is"
                + " signed: it needs its signing secret. Fix: add webhook: {secret: {env: …}} to system hub");
        String noWebhooks = yaml.replace("webhooks: {hub: /webhooks/hub/contacts}", "webhooks: {}");
        assertThat(ModelValidationTest.problems(SECRETS, new ModelFile("file:models/webhooks.syncline.yaml",
                noWebhooks.getBytes(StandardCharsets.UTF_8)))).extracting(ModelProblem::toString)
                .noneMatch(problem -> problem.contains("signing secret"));
    }
}
