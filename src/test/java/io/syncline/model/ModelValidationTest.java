package io.syncline.model;

import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Start-up validation lists every problem, each with its file, line, path and fix. */
class ModelValidationTest {

    private static final Environment NO_SECRETS = name -> null;

    static ModelFile resource(String name) throws IOException {
        try (InputStream in = ModelValidationTest.class.getResourceAsStream("/models/" + name)) {
            return new ModelFile("file:models/" + name, in.readAllBytes());
        }
    }

    static List<ModelProblem> problems(Environment environment, ModelFile... files) {
        return ModelProblems.of(environment, files);
    }

    @Test
    void threeMistakesGiveThreeLocatedProblemsWithTheirFix() throws IOException {
        List<ModelProblem> problems = problems(NO_SECRETS, resource("three-mistakes.syncline.yaml"));

        assertThat(problems).hasSize(3);
        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:models/three-mistakes.syncline.yaml");
            assertThat(problem.line()).isPositive();
            assertThat(problem.fix()).isNotBlank();
        });
        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(13, "entities.contact.master"),
                org.assertj.core.groups.Tuple.tuple(23, "entities.contact.mappings.crm.fields[1].transforms[0]"),
                org.assertj.core.groups.Tuple.tuple(32, "entities.contact.match[1].fuzzyName.threshold"));
        assertThat(problems).map(ModelProblem::toString).anySatisfy(text -> assertThat(text)
                .contains("unknown system 'crn'").contains("did you mean 'crm'"));
        assertThat(problems).map(ModelProblem::toString).anySatisfy(text -> assertThat(text)
                .contains("lowercas").contains("lowercase"));
        assertThat(problems).map(ModelProblem::toString).anySatisfy(text -> assertThat(text)
                .contains("1.5 is out of range").contains("between 0.0"));
    }

    @Test
    void everyOtherKindOfMistakeIsReportedTooInOneRun() throws IOException {
        List<ModelProblem> problems = problems(NO_SECRETS, resource("more-mistakes.syncline.yaml"));
        List<String> texts = problems.stream().map(ModelProblem::toString).toList();

        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.auth.token").contains("written literally"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("SYNCLINE_TEST_UNSET_SECRET is not set"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("unknown type 'soap'").contains("jdbc"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("field 'phone' has two masters: hubspot and erp"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("unknown key 'colour'"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'sideways' is not allowed").contains("in, out, both"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("field 'name' is mapped twice"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("UK").contains("GB"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("required policy maybe is unknown"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.company").contains("the entity has no source"));
        assertThat(texts).noneSatisfy(t -> assertThat(t).contains("pat-na1-1234567890"));
        assertThat(problems).allSatisfy(problem -> assertThat(problem.line()).isPositive());
    }

    @Test
    void setSecretAndCorrectModelCompile() throws IOException {
        Environment environment = Map.of("CRM_TOKEN", "t0ken")::get;
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com", auth: {type: bearer, token: {env: CRM_TOKEN}}}
                entities:
                  contact:
                    key: id
                    master: crm
                    fields: {id: {type: string}}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}]}
                    webhooks: {crm: /webhooks/crm/contacts}
                """.getBytes());
        assertThat(problems(environment, model)).isEmpty();
        assertThat(problems(NO_SECRETS, model)).singleElement()
                .satisfies(problem -> assertThat(problem.toString()).contains("CRM_TOKEN is not set"));
    }

    private static ModelFile erp(String system) {
        return new ModelFile("file:erp.syncline.yaml", ("systems:\n  erp: " + system + "\n").getBytes());
    }

    @Test
    void jdbcSystemByUrlNeedsASupportedUrlAndItsUserFromTheEnvironment() {
        Environment environment = Map.of("ERP_USER", "syncline", "ERP_PASSWORD", "s3cret",
                "ERP_JDBC_URL", "jdbc:mariadb://erp-db:3306/erp")::get;
        String credentials = ", username: {env: ERP_USER}, password: {env: ERP_PASSWORD}}";

        assertThat(problems(environment, erp("{type: jdbc, url: \"jdbc:mariadb://erp-db:3306/erp\"" + credentials))).isEmpty();
        assertThat(problems(environment, erp("{type: jdbc, url: {env: ERP_JDBC_URL}" + credentials))).isEmpty();
        assertThat(problems(environment, erp("{type: jdbc, url: \"jdbc:postgresql://ledger:5432/ledger\", username: {env: ERP_USER}}")))
                .as("a password may be left out").isEmpty();

        assertThat(problems(NO_SECRETS, erp("{type: jdbc, url: {env: ERP_JDBC_URL}" + credentials)))
                .map(ModelProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("systems.erp.url").contains("ERP_JDBC_URL is not set"));
        assertThat(problems(environment, erp("{type: jdbc, url: \"jdbc:mysql://erp-db:3306/erp\"" + credentials))).isEmpty();
        assertThat(problems(environment, erp("{type: jdbc, url: \"jdbc:oracle:thin:scott/tiger@erp-db:1521/erp\"" + credentials)))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("systems.erp.url");
                    assertThat(problem.problem()).contains("jdbc:oracle: is not the URL of a supported database");
                    assertThat(problem.toString()).doesNotContain("tiger")
                            .contains("supported: jdbc:h2:, jdbc:mariadb:, jdbc:mysql:, jdbc:postgresql:");
                });
        assertThat(problems(environment, erp("{type: jdbc, url: \"mariadb://erp-db:3306/erp\"" + credentials)))
                .singleElement().satisfies(problem -> assertThat(problem.problem()).contains("does not start with jdbc:"));
        assertThat(problems(environment, erp("{type: jdbc, url: \"jdbc:mariadb://erp-db:3306/erp\"}")))
                .singleElement().satisfies(problem -> assertThat(problem.problem()).contains("needs the database user"));
        assertThat(problems(environment, erp("{type: jdbc, datasource: erp, username: {env: ERP_USER}}")))
                .singleElement().satisfies(problem -> assertThat(problem.fix()).contains("quarkus.datasource.erp.username"));
        assertThat(problems(environment, erp("{type: jdbc, datasource: erp, url: \"jdbc:h2:mem:erp\", username: {env: ERP_USER}}")))
                .map(ModelProblem::problem).contains("a JDBC system needs exactly one of datasource or url");
    }

    @Test
    void systemDeclaredInTwoFilesNamesBoth() {
        byte[] crm = "systems:\n  crm: {type: rest, baseUrl: \"https://a.example.com\"}\n".getBytes();
        List<ModelProblem> problems = problems(NO_SECRETS, new ModelFile("file:a.syncline.yaml", crm),
                new ModelFile("file:b.syncline.yaml", crm));
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.file()).isEqualTo("file:b.syncline.yaml");
            assertThat(problem.problem()).contains("declared twice").contains("file:a.syncline.yaml");
        });
    }

    @Test
    void shippedExampleModelIsValid() throws IOException {
        byte[] example = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("routes", "contacts.syncline.yaml"));
        assertThat(problems(NO_SECRETS, new ModelFile("file:routes/contacts.syncline.yaml", example))).isEmpty();
    }

    @Test
    void restWriteSettingsAreCheckedWhereTheyAreWritten() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  hubspot:
                    type: rest
                    baseUrl: https://api.hubapi.com
                    auth: {type: oauth2-client-credentials, tokenUrl: auth.example.com/token, clientId: {env: ID}, clientSecret: {env: SECRET}}
                    rateLimit: {requestsPerSecond: 0, burst: 0}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: hubspot
                    fields: {id: {type: string}}
                    mappings:
                      hubspot:
                        key: id
                        resource: crm/v3/objects/contacts/
                        write: {create: PATCH, update: PUT}
                        fields: [{field: id, path: id}]
                      billing:
                        key: id
                        table: contact
                        resource: /contacts
                        write: {update: PUT}
                        fields: [{field: id, path: id}]
                    webhooks: {hubspot: /webhooks/hubspot/contacts}
                """.getBytes());
        List<String> texts = problems(Map.of("ID", "i", "SECRET", "s")::get, model).stream().map(ModelProblem::toString).toList();

        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.auth.tokenUrl")
                .contains("'auth.example.com/token' is not an http(s) URL"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.rateLimit.requestsPerSecond").contains("positive"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.rateLimit.burst").contains("at least 1"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("'PATCH' is not allowed").contains("POST, PUT"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.contact.mappings.hubspot.resource")
                .contains("'crm/v3/objects/contacts/' is not a path under the baseUrl"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.contact.mappings.billing.resource")
                .contains("REST systems only"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.contact.mappings.billing.write")
                .contains("REST systems only"));
        assertThat(texts).hasSize(7);
    }

    @Test
    void anAuthorizationCodeSystemNeedsTheTokenKeyAndItsHeadersTheirVariables() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  quickbooks:
                    type: rest
                    baseUrl: https://quickbooks.api.intuit.com/v3/company/9130
                    auth:
                      type: oauth2-authorization-code
                      tokenUrl: https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer
                      authorizationUrl: https://appcenter.intuit.com/connect/oauth2
                      clientId: {env: ID}
                      clientSecret: {env: SECRET}
                      refreshToken: AB11-pasted-literally
                  xero:
                    type: rest
                    baseUrl: https://api.xero.com/api.xro/2.0
                    headers: {xero-tenant-id: "${XERO_TENANT_ID}"}
                  pipedrive:
                    type: rest
                    baseUrl: https://api.pipedrive.com/v1
                    auth: {type: api-key, in: query, key: {env: SECRET}}
                """.getBytes());
        List<String> texts = problems(Map.of("ID", "i", "SECRET", "s")::get, model).stream().map(ModelProblem::toString).toList();

        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.quickbooks.auth.type")
                .contains("SYNCLINE_TOKEN_KEY").contains("openssl rand -base64 32"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.quickbooks.auth.refreshToken")
                .contains("written literally"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.xero.headers.xero-tenant-id")
                .contains("XERO_TENANT_ID is not set"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.pipedrive.auth").contains("param is missing"));
        assertThat(texts).hasSize(4);

        Map<String, String> environment = Map.of("ID", "i", "SECRET", "s", "XERO_TENANT_ID", "t",
                "SYNCLINE_TOKEN_KEY", "not a key");
        assertThat(problems(environment::get, model).stream().map(ModelProblem::toString).toList())
                .anySatisfy(t -> assertThat(t).contains("SYNCLINE_TOKEN_KEY is not a base64 AES key"));
    }

    @Test
    void hmacSignatureSettingsAreCheckedWhereTheyAreWritten() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  desk:
                    type: rest
                    baseUrl: https://acme.zendesk.com/api/v2
                    webhook:
                      signature: hmac
                      secret: {env: SECRET}
                      encoding: base64
                      timestamp: {header: X-Zendesk-Webhook-Signature-Timestamp}
                  shop:
                    type: rest
                    baseUrl: https://acme.myshopify.com/admin/api/2024-10
                    webhook: {signature: stripe, secret: {env: SECRET}, encoding: base64, toleranceSeconds: 0}
                  books:
                    type: rest
                    baseUrl: https://quickbooks.api.intuit.com/v3
                    webhook: {signature: hmac, header: intuit-signature, secret: {env: SECRET}, toleranceSeconds: 300}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: desk
                    fields: {id: {type: string}}
                    mappings:
                      desk: {key: id, fields: [{field: id, path: id}]}
                      shop: {key: id, fields: [{field: id, path: id, direction: in}]}
                      books: {key: id, fields: [{field: id, path: id, direction: in}]}
                      billing: {key: id, table: contact, fields: [{field: id, path: id}]}
                    webhooks: {desk: /webhooks/desk/contacts, shop: /webhooks/shop/contacts, books: /webhooks/books/contacts}
                """.getBytes());
        List<String> texts = problems(Map.of("SECRET", "s")::get, model).stream().map(ModelProblem::toString).toList();

        assertThat(texts).anySatisfy(t -> assertThat(t).contains("inline.syncline.yaml:5 at systems.desk.webhook")
                .contains("hmac needs the header that carries the signature"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("inline.syncline.yaml:9 at systems.desk.webhook.timestamp")
                .contains("a signed timestamp needs its format").contains("unix-seconds | unix-millis | iso-8601"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.shop.webhook.encoding")
                .contains("encoding describes a signature: hmac and would do nothing for signature stripe"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.shop.webhook.toleranceSeconds").contains("positive"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.books.webhook.toleranceSeconds")
                .contains("toleranceSeconds needs a signed timestamp to check"));
        assertThat(texts).hasSize(5);
    }

    @Test
    void webhookEventsAndAnswerAreCheckedWhereTheyAreWritten() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  hubspot:
                    type: rest
                    baseUrl: https://api.hubapi.com
                    webhook:
                      events: {list: "events", id: "data..id", only: {eventCategory: null}}
                      answer: {status: 401}
                      challenge: {answer: verification}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: hubspot
                    fields: {id: {type: string}}
                    mappings:
                      hubspot: {key: id, fields: [{field: id, path: id}]}
                      billing: {key: id, table: contact, fields: [{field: id, path: id}]}
                    webhooks: {hubspot: /webhooks/hubspot/contacts}
                """.getBytes());
        List<String> texts = problems(NO_SECRETS, model).stream().map(ModelProblem::toString).toList();

        assertThat(texts).anySatisfy(t -> assertThat(t).contains("inline.syncline.yaml:6 at systems.hubspot.webhook.events.list")
                .contains("'events' is not a path to an array of events").contains("events[]"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.webhook.events.id")
                .contains("'data..id' is not a field path"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.webhook.events.only.eventCategory")
                .contains("only needs the value"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.webhook.answer.status")
                .contains("2xx status, not 401"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("systems.hubspot.webhook.challenge")
                .contains("in a header or in a query parameter: name one of them"));
        assertThat(texts).hasSize(5);
    }

    @Test
    void anEntityThatNothingFeedsOrReadsIsRefusedAtItsLineNamingWhatToAdd() {
        String systems = """
                systems:
                  crm: {type: jdbc, datasource: default}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: crm
                    fields: {id: {type: string}, updatedAt: {type: timestamp}}
                    mappings:
                      crm: {key: id, table: crm_contact, fields: [{field: id, path: id}, {field: updatedAt, path: updatedAt}]}
                      billing: {key: id, table: billing_contact, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                """;

        assertThat(problems(NO_SECRETS, new ModelFile("file:contacts.syncline.yaml", systems.getBytes())))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.file()).isEqualTo("file:contacts.syncline.yaml");
                    assertThat(problem.line()).isEqualTo(5);
                    assertThat(problem.path()).isEqualTo("entities.contact");
                    assertThat(problem.problem()).contains("no source");
                    assertThat(problem.fix()).contains("webhooks: {crm: /webhooks/crm/contact}").contains("polls:")
                            .contains("captures:").contains("reconciliation").contains("backfill of contact alone copies");
                });
        // a reconciliation job or a backfill, in the same file or another, is something to do with it
        ModelFile reconciliation = new ModelFile("file:checks.syncline.yaml", """
                reconciliations:
                  contacts: {entity: contact, sideA: crm, sideB: billing, schedule: "0 0 2 * * ?"}
                """.getBytes());
        ModelFile backfill = new ModelFile("file:copies.syncline.yaml", """
                backfills:
                  contacts: {entity: contact, source: billing}
                """.getBytes());
        ModelFile contacts = new ModelFile("file:contacts.syncline.yaml", systems.getBytes());
        assertThat(problems(NO_SECRETS, contacts, reconciliation)).isEmpty();
        assertThat(problems(NO_SECRETS, contacts, backfill)).isEmpty();
    }

    @Test
    void writeMethodsNeedAResource() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  shop: {type: rest, baseUrl: "https://shop.example.com"}
                entities:
                  contact:
                    key: id
                    master: shop
                    fields: {id: {type: string}}
                    mappings:
                      shop: {key: id, write: {update: PUT}, fields: [{field: id, path: id}]}
                    webhooks: {shop: /webhooks/shop/contacts}
                """.getBytes());
        assertThat(problems(NO_SECRETS, model)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.mappings.shop");
            assertThat(problem.problem()).contains("needs the resource it writes to");
            assertThat(problem.line()).isEqualTo(9);
        });
    }

    @Test
    void aSensitiveFieldIsNoKeyReferenceOrLinesAndNoRuleOrMatchReadsIt() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  hr: {type: jdbc, datasource: default}
                  payroll: {type: jdbc, datasource: default}
                entities:
                  employee:
                    key: id
                    master: hr
                    fields:
                      id: {type: string, sensitive: true}
                      ssn: {type: string, sensitive: true}
                      salary: {type: decimal, sensitive: true}
                      name: {type: string}
                      manager: {type: string, ref: employee, sensitive: true}
                      lines: {type: list, items: {iban: {type: string, sensitive: true}}}
                    mappings:
                      hr: {key: id, table: hr_employee, fields: [{field: id, path: id}, {field: ssn, path: ssn}]}
                      payroll: {key: id, table: payroll_employee, fields: [{field: id, path: id}, {field: ssn, path: ssn}]}
                    webhooks: {hr: /webhooks/hr/employees}
                    match: [idMap, {fuzzy: {field: ssn}}]
                    rules:
                      - {name: raise, when: salary > 100000, action: hold}
                      - {name: named, when: "name == 'salary'", action: alert}
                """.getBytes());
        List<ModelProblem> problems = problems(NO_SECRETS, model);
        assertThat(problems).extracting(ModelProblem::path).contains("entities.employee.fields.id.sensitive",
                "entities.employee.fields.manager.sensitive", "entities.employee.fields.lines.items.iban.sensitive",
                "entities.employee.rules[0].when", "entities.employee.match[1]");
        assertThat(problems).extracting(ModelProblem::path).doesNotContain("entities.employee.rules[1].when");
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.employee.rules[0].when")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("sensitive field 'salary'");
                    assertThat(problem.fix()).contains("remove sensitive: true from salary");
                    assertThat(problem.line()).isPositive();
                });
    }

    @Test
    void aSilenceBoundNeedsAWebhookOrAPollOfItsSystemAndADuration() {
        ModelFile model = new ModelFile("file:inline.syncline.yaml", """
                systems:
                  shop: {type: rest, baseUrl: "https://shop.example.com"}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: shop
                    fields: {id: {type: string}}
                    mappings:
                      shop: {key: id, fields: [{field: id, path: id}]}
                      billing: {key: external_id, table: demo_contact, fields: [{field: id, path: external_id}]}
                    webhooks: {shop: /webhooks/shop/contacts}
                    silentAfter: {shop: often, billing: 1h, shopp: 2h}
                """.getBytes());
        List<ModelProblem> problems = problems(NO_SECRETS, model);
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::problem).containsExactlyInAnyOrder(
                tuple("entities.contact.silentAfter.shop", "'often' is not a duration; write e.g. 0s, 90s, 30m, 1h, 2d or PT1H30M"),
                tuple("entities.contact.silentAfter.billing", "billing neither sends this entity by webhook nor is polled for it"),
                tuple("entities.contact.silentAfter.shopp", "shopp neither sends this entity by webhook nor is polled for it"));
        assertThat(problems).extracting(ModelProblem::fix).allSatisfy(fix -> assertThat(fix).contains("shop"));
        assertThat(problems).filteredOn(problem -> problem.path().endsWith(".shop")).singleElement()
                .satisfies(problem -> assertThat(problem.fix()).isEqualTo("write how long shop may send nothing, e.g. silentAfter: {shop: 6h}"));
        ModelFile fine = new ModelFile("file:inline.syncline.yaml", new String(model.content())
                .replace("silentAfter: {shop: often, billing: 1h, shopp: 2h}", "silentAfter: {shop: 6h}").getBytes());
        assertThat(problems(NO_SECRETS, fine)).isEmpty();
    }

    @Test
    void webhookPathsModifiedAtAndDeletesAreChecked() {
        String yaml = """
                systems:
                  crm: {type: rest, baseUrl: https://crm.example.com}
                  billing: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: crm
                    modifiedAt: id
                    webhooks: {crm: webhooks/no-slash, erp: /webhooks/erp}
                    fields: {id: {type: string}}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}]}
                      billing: {key: external_id, table: demo_contact, delete: {mode: soft}, fields: [{field: id, path: external_id}]}
                  account:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/shared}
                    fields: {id: {type: string}}
                    mappings: {crm: {key: id, fields: [{field: id, path: id}]}}
                  invoice:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/shared}
                    fields: {id: {type: string}}
                    mappings: {crm: {key: id, fields: [{field: id, path: id}]}}
                """;
        List<String> texts = problems(NO_SECRETS, new ModelFile("file:inline.syncline.yaml", yaml.getBytes(StandardCharsets.UTF_8)))
                .stream().map(ModelProblem::toString).toList();

        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.contact.modifiedAt").contains("not a timestamp field"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.contact.webhooks.crm").contains("not a URL path"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("entities.contact.webhooks.erp").contains("no mapping"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("/webhooks/shared is already the webhook of"));
        assertThat(texts).anySatisfy(t -> assertThat(t).contains("delete").contains("soft delete needs the column"));
    }
}
