package io.syncline.model;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.testsupport.BuiltInSystemTypes;
import io.syncline.testsupport.ModelProblems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

/** A reference field ({@code ref}) is checked at start-up like the rest of the model, each problem at its line with its fix. */
class ReferenceValidationTest {

    private static final Environment NO_SECRETS = name -> null;

    private static final String SYSTEMS = """
            systems:
              crm: {type: rest, baseUrl: "https://crm.example.com"}
              erp: {type: jdbc, datasource: default}
            """;

    private static final String COMPANY = """
              company:
                key: id
                master: crm
                webhooks: {crm: /webhooks/crm/companies}
                fields: {id: {type: string}}
                mappings:
                  crm: {key: id, fields: [{field: id, path: id}]}
                  erp: {key: code, table: erp_company, fields: [{field: id, path: code}]}
            """;

    private static List<ModelProblem> problems(String contactFields) {
        String model = SYSTEMS + "entities:\n" + COMPANY + """
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields:
                """ + contactFields
                + """
                            mappings:
                              crm: {key: id, fields: [{field: id, path: id}, {field: company, path: companyId}, {field: manager, path: managerId}]}
                              erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: company, path: company_code}, {field: manager, path: manager_id}]}
                        """;
        return ModelProblems.of(NO_SECRETS, new ModelFile("file:related.syncline.yaml", model.getBytes()));
    }

    @Test
    void referencesToAnEntityOrToItsOwnAndTheirMissingParentSettingsAreValid() {
        assertThat(problems("""
                      id: {type: string}
                      company: {type: string, ref: company, missingParent: {wait: PT10M, then: empty}}
                      manager: {type: string, ref: contact, many: true, missingParent: review}
                """)).isEmpty();
        List<ModelProblem> unknownAction = problems("""
                      id: {type: string}
                      company: {type: string, ref: company, missingParent: {then: skip}}
                      manager: {type: string, ref: contact}
                """);
        assertThat(unknownAction).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.fields.company.missingParent");
            assertThat(problem.line()).isEqualTo(19);
            assertThat(problem.problem()).contains("'skip' is unknown: write review, empty or sync");
        });
    }

    @Test
    void onParentErasedIsDetachOrEraseAndOnlyOnAReference() {
        assertThat(problems("""
                      id: {type: string}
                      company: {type: string, ref: company, onParentErased: erase}
                      manager: {type: string, ref: contact, onParentErased: detach}
                """)).isEmpty();
        assertThat(problems("""
                      id: {type: string}
                      company: {type: string, ref: company, onParentErased: cascade}
                      manager: {type: string, ref: contact}
                """)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.fields.company.onParentErased");
            assertThat(problem.line()).isEqualTo(19);
            assertThat(problem.problem()).contains("'cascade' is unknown: write detach or erase");
        });
        assertThat(problems("""
                      id: {type: string}
                      company: {type: string, ref: company}
                      manager: {type: string, ref: contact}
                      note: {type: string, onParentErased: erase}
                """)).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.fields.note.onParentErased");
            assertThat(problem.line()).isEqualTo(21);
            assertThat(problem.problem()).contains("onParentErased is for a reference");
            assertThat(problem.fix()).contains("add ref: <entity>, or remove onParentErased");
        });
    }

    @Test
    void eachMistakeIsNamedAtItsLineWithItsFix() {
        List<ModelProblem> problems = problems("""
                      id: {type: string, many: true}
                      company: {type: decimal, ref: compnay, missingParent: {wait: soon}}
                      manager: {type: string, ref: contact, missingParent: {wait: PT0S}}
                      note: {type: string, missingParent: empty}
                """);

        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).containsExactlyInAnyOrder(
                tuple(18, "entities.contact.fields.id.many"),
                tuple(19, "entities.contact.fields.company.ref"),
                tuple(19, "entities.contact.fields.company.type"),
                tuple(19, "entities.contact.fields.company.missingParent.wait"),
                tuple(20, "entities.contact.fields.manager.missingParent.wait"),
                tuple(21, "entities.contact.fields.note.missingParent"),
                // a list of values (many without ref) in a plain column of the ERP's table
                tuple(24, "entities.contact.mappings.erp.fields[0]"));
        assertThat(problems).allSatisfy(problem -> {
            assertThat(problem.file()).isEqualTo("file:related.syncline.yaml");
            assertThat(problem.fix()).isNotBlank();
        });
        assertThat(problems).map(ModelProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("unknown entity 'compnay'").contains("did you mean 'company'"))
                .anySatisfy(text -> assertThat(text).contains("decimal is not an id type").contains("type: string"))
                .anySatisfy(text -> assertThat(text).contains("the entity's key cannot be a list").contains("remove many"))
                .anySatisfy(text -> assertThat(text).contains("'soon' is not a duration"))
                .anySatisfy(text -> assertThat(text).contains("cannot wait PT0S"));
    }

    @Test
    void aSystemThatHoldsAReferenceMustMapTheReferencedEntity() {
        String model = SYSTEMS + """
                  billing: {type: jdbc, datasource: default}
                entities:
                """ + COMPANY + """
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields: {id: {type: string}, company: {type: string, ref: company}}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}, {field: company, path: companyId}]}
                      billing: {key: id, table: billing_contact, fields: [{field: id, path: id}, {field: company, path: company_id}]}
                """;

        assertThat(ModelProblems.of(NO_SECRETS, new ModelFile("file:related.syncline.yaml", model.getBytes())))
                .singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo("entities.contact.mappings.billing");
                    assertThat(problem.line()).isEqualTo(21);
                    assertThat(problem.problem()).contains("company has no mapping for billing");
                    assertThat(problem.fix()).contains("add mappings.billing to entity company");
                });
    }

    @Test
    void aReferenceWrittenByItsParentsExternalIdNeedsASalesforceMappingAndTheParentsExternalIdThere() {
        String model = """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com"}
                  erp: {type: jdbc, datasource: default}
                  sfdc: {type: salesforce, loginUrl: "https://acme.my.salesforce.com", clientId: {env: SF_ID}, clientSecret: {env: SF_SECRET}}
                entities:
                  company:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/companies}
                    fields: {id: {type: string}, code: {type: string}}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}, {field: code, path: code}]}
                      erp: {key: code, table: erp_company, fields: [{field: id, path: code}]}
                      sfdc: {key: Id, sobject: Account, fields: [{field: id, path: Ext_Id__c}, {field: code, path: Code__c, direction: in}]}
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields: {id: {type: string}, email: {type: string}, company: {type: string, ref: company}, partner: {type: string, ref: company}}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}, {field: company, path: companyId}, {field: partner, path: partnerId}]}
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: company, path: company_code, externalId: code}]}
                      sfdc:
                        key: Id
                        sobject: Contact
                        fields:
                          - {field: id, path: Crm_Id__c}
                          - {field: company, path: Account, externalId: Ext_Id__c}
                          - {field: partner, path: Partner__r, externalId: Code__c}
                          - {field: email, path: Email, externalId: Ext_Id__c}
                          - {field: partner, path: Owner.Name, externalId: Ext_Id__c, direction: out}
                  account:
                    key: id
                    master: sfdc
                    captures: {sfdc: {channel: /data/AccountChangeEvent}}
                    fields: {id: {type: string}, number: {type: string}}
                    mappings:
                      sfdc: {key: Id, sobject: Account, fields: [{field: id, path: Id, direction: in}, {field: number, path: Ext_Id__c}]}
                      erp: {key: id, table: erp_account, fields: [{field: id, path: id}, {field: number, path: number}]}
                  ticket:
                    key: id
                    master: sfdc
                    captures: {sfdc: {channel: /data/CaseChangeEvent}}
                    fields: {id: {type: string}, account: {type: string, ref: account, missingParent: sync}}
                    mappings:
                      sfdc: {key: Id, sobject: Case, fields: [{field: id, path: Id, direction: in}, {field: account, path: Account, externalId: Ext_Id__c}]}
                      erp: {key: id, table: erp_ticket, fields: [{field: id, path: id}, {field: account, path: account_id}]}
                """;

        List<ModelProblem> problems = ModelProblems.of(name -> "secret", new ModelFile("file:related.syncline.yaml", model.getBytes()));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                tuple("entities.contact.mappings.erp.fields[1].externalId", 22),
                tuple("entities.contact.mappings.sfdc.fields[2].externalId", 29),
                tuple("entities.contact.mappings.sfdc.fields[3].externalId", 30),
                tuple("entities.contact.mappings.sfdc.fields[4].path", 31),
                tuple("entities.ticket.mappings.sfdc.fields[1].externalId", 46));
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("erp.fields[1].externalId")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("a jdbc system does not take"));
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("sfdc.fields[2].externalId")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("company's mapping of sfdc writes no Code__c");
                    assertThat(problem.fix()).contains("entities.company.mappings.sfdc").contains("without externalId");
                });
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("sfdc.fields[3].externalId")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("'email' names no entity"));
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("sfdc.fields[4].path")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("not a relationship name"));
        // a source that reads the parent by its external id cannot be asked for it by that value as its id
        assertThat(problems).filteredOn(problem -> problem.path().startsWith("entities.ticket")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("missingParent: sync").contains("Ext_Id__c");
                    assertThat(problem.fix()).contains("AccountId");
                });
    }

    /** The built-in types and {@code feed}, a type that writes and sends webhooks but cannot fetch a record by its id. */
    private static final SystemTypeCatalog WITH_FEED = BuiltInSystemTypes.with("feed", Set.of(Ability.WRITE));

    @Test
    void aParentFetchedFromTheSourceNeedsATypeThatFetchesAndARouteOfTheParentFromIt() {
        String model = """
                systems:
                  crm: {type: feed}
                  erp: {type: jdbc, datasource: default}
                entities:
                  company:
                    key: id
                    master: erp
                    webhooks: {erp: /webhooks/erp/companies}
                    fields: {id: {type: string}}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}]}
                      erp: {key: code, table: erp_company, fields: [{field: id, path: code}]}
                  contact:
                    key: id
                    master: crm
                    webhooks: {crm: /webhooks/crm/contacts}
                    fields:
                      id: {type: string}
                      company: {type: string, ref: company, missingParent: sync}
                    mappings:
                      crm: {key: id, fields: [{field: id, path: id}, {field: company, path: companyId}]}
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: company, path: company_code}]}
                """;
        SyncModelCompiler compiler = new SyncModelCompiler(NO_SECRETS, TransformRegistry.builtIn(),
                (entity, canonicalId, system) -> Optional.empty(), WITH_FEED);
        ModelValidationException refused = catchThrowableOfType(ModelValidationException.class,
                () -> compiler.compile(List.of(new ModelFile("file:related.syncline.yaml", model.getBytes()))));

        assertThat(refused.problems()).extracting(ModelProblem::file, ModelProblem::line, ModelProblem::path)
                .containsExactlyInAnyOrder(
                        tuple("file:related.syncline.yaml", 19, "entities.contact.fields.company.missingParent"),
                        tuple("file:related.syncline.yaml", 19, "entities.contact.fields.company.missingParent"));
        assertThat(refused.problems()).map(ModelProblem::toString)
                .anySatisfy(text -> assertThat(text).contains("system 'crm' is of type feed, which cannot fetch")
                        .contains("missingParent: review"))
                .anySatisfy(text -> assertThat(text).contains("company takes no changes from crm")
                        .contains("give entity company webhooks, polls or captures from crm"));
        assertThat(MissingParentSpec.of("sync").then()).isEqualTo(MissingParentSpec.Then.SYNC);
    }

    @Test
    void theWaitIsAnHourAndThenReviewUnlessTheModelSaysOtherwise() {
        assertThat(MissingParentSpec.DEFAULT.waitOrDefault()).isEqualTo(Duration.ofHours(1));
        assertThat(MissingParentSpec.DEFAULT.then()).isEqualTo(MissingParentSpec.Then.REVIEW);
        assertThat(MissingParentSpec.of("empty").waitOrDefault()).isEqualTo(Duration.ofHours(1));
        assertThat(new MissingParentSpec("90s", null).waitOrDefault()).isEqualTo(Duration.ofSeconds(90));
    }
}
