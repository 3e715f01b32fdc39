package io.syncline.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mapping's keys of its system's type ({@code table}, {@code resource}, {@code write},
 * {@code envelope}, {@code sobject}) are reported as any other mistake in the model: the same
 * words, at the key's path, file and line, whichever part of Syncline finds it.
 */
class MappingSettingsBindingTest {

    private static final Environment SECRETS = name -> "set";

    private static final String MODEL = """
            systems:
              erp: {type: jdbc, datasource: erp}
              crm:
                type: rest
                baseUrl: https://crm.example.com/api
                pagination: {style: offset}
              desk: {type: rest, baseUrl: https://desk.example.com}
              sfdc:
                type: salesforce
                loginUrl: https://login.salesforce.com
                clientId: {env: SF_ID}
                clientSecret: {env: SF_SECRET}
            entities:
              contact:
                master: erp
                key: email
                fields: {email: {type: string}}
                polls: {desk: {schedule: "0/30 * * * * ?", changes: {param: updated_since}}}
                captures: {erp: {}, sfdc: {}}
                mappings:
                  erp:
                    key: id
                    colour: blue
                    resource: /contacts
                    fields: [{field: email, path: email}]
                  crm:
                    key: id
                    resource: /contacts
                    write: {create: GET, update: PATCH, colour: x}
                    envelope: {request: "a..b", answer: data}
                    sobject: Contact
                    table: contacts
                    fields: [{field: email, path: email}]
                  desk:
                    key: id
                    write: {update: PUT}
                    fields: [{field: email, path: email}]
                  sfdc:
                    key: Id
                    write: {update: PUT}
                    envelope: data
                    fields: [{field: email, path: Email}]
              account:
                master: erp
                key: name
                fields: {name: {type: string}}
                webhooks: {crm: /webhooks/crm/accounts}
                mappings:
                  erp:
                    key: "id; drop"
                    table: "accounts x"
                    sobject: Account
                    fields: [{field: name, path: name}]
                  crm:
                    key: id
                    resource: "not a path"
                    fields: [{field: name, path: name}]
                  sfdc:
                    key: Id
                    sobject: "Account; DROP"
                    table: accounts
                    fields: [{field: name, path: Name}]
            reconciliations:
              contacts-check: {entity: contact, sideA: erp, sideB: sfdc, schedule: "0 0 2 * * ?"}
            """;

    private static List<String> problems() {
        return ModelValidationTest.problems(SECRETS, new ModelFile("file:models/mappings.syncline.yaml",
                MODEL.getBytes(StandardCharsets.UTF_8))).stream().map(ModelProblem::toString).sorted().toList();
    }

    /**
     * Every line, sorted: a key no type takes, a key of another type's (refused for REST's
     * and Salesforce's keys; a {@code table} outside JDBC is taken silently), a value not allowed,
     * a key the type needs for a write, a pull or a capture, and a name that goes into SQL or SOQL text.
     */
    @Test
    void aMistakeInAMappingsKeysIsReportedAtItsKeysLine() {
        assertThat(problems()).containsExactly(
                "file:models/mappings.syncline.yaml:18 at entities.contact.polls.desk: no resource to read the"
                        + " changes of desk from. Fix: give the mapping its resource, e.g. resource: /api/v2/persons, or"
                        + " changes its own",
                "file:models/mappings.syncline.yaml:18 at entities.contact.polls.desk: polling reads changes by"
                        + " the entity's modifiedAt, which desk does not hold. Fix: set the entity's modifiedAt and map it"
                        + " in desk (the column of its last change)",
                "file:models/mappings.syncline.yaml:19 at entities.contact.captures.erp.table: no table to"
                        + " capture. Fix: add table: <the table of erp that holds the entity>",
                "file:models/mappings.syncline.yaml:19 at entities.contact.captures.sfdc: no sobject whose"
                        + " changes to capture. Fix: add sobject: <the object's API name> to the mapping",
                "file:models/mappings.syncline.yaml:21 at entities.contact.mappings.erp: a JDBC system needs the"
                        + " table that holds contact. Fix: add table: <table name>",
                "file:models/mappings.syncline.yaml:23 at entities.contact.mappings.erp.colour: unknown key"
                        + " 'colour'. Fix: use one of collection, delete, envelope, erase, fields, hooks, key, resource, route,"
                        + " schemaDrift, sobject, table, write",
                "file:models/mappings.syncline.yaml:24 at entities.contact.mappings.erp.resource: resource is"
                        + " for REST systems only. Fix: remove resource (a JDBC mapping names its table)",
                "file:models/mappings.syncline.yaml:29 at entities.contact.mappings.crm.write.colour: unknown"
                        + " key 'colour'. Fix: use one of create, createAt, update",
                "file:models/mappings.syncline.yaml:29 at entities.contact.mappings.crm.write.create: 'GET' is"
                        + " not allowed here. Fix: use one of POST, PUT",
                "file:models/mappings.syncline.yaml:30 at entities.contact.mappings.crm.envelope.request:"
                        + " envelope path 'a..b' is not a dotted path of names. Fix: write the member the record is in,"
                        + " e.g. user, data or Contacts[0] (the first of an array)",
                "file:models/mappings.syncline.yaml:31 at entities.contact.mappings.crm.sobject: sobject is for"
                        + " Salesforce systems only. Fix: remove sobject (a JDBC mapping names its table, a REST mapping"
                        + " its resource)",
                "file:models/mappings.syncline.yaml:34 at entities.contact.mappings.desk: a mapping that"
                        + " declares write methods needs the resource it writes to. Fix: add resource: /<collection path>,"
                        + " e.g. /crm/v3/objects/contacts",
                "file:models/mappings.syncline.yaml:40 at entities.contact.mappings.sfdc.write: write methods"
                        + " are for REST systems only. Fix: remove write",
                "file:models/mappings.syncline.yaml:41 at entities.contact.mappings.sfdc.envelope: a record"
                        + " envelope is for REST systems only. Fix: remove envelope",
                "file:models/mappings.syncline.yaml:50 at entities.account.mappings.erp.key: 'id; drop' is not a"
                        + " plain SQL identifier. Fix: use letters, digits and _ only",
                "file:models/mappings.syncline.yaml:51 at entities.account.mappings.erp.table: 'accounts x' is"
                        + " not a plain SQL identifier. Fix: use letters, digits and _ only",
                "file:models/mappings.syncline.yaml:52 at entities.account.mappings.erp.sobject: sobject is for"
                        + " Salesforce systems only. Fix: remove sobject (a JDBC mapping names its table, a REST mapping"
                        + " its resource)",
                "file:models/mappings.syncline.yaml:56 at entities.account.mappings.crm.resource: resource 'not"
                        + " a path' is not a path under the baseUrl. Fix: write the collection path, starting with / and"
                        + " without query or trailing /, e.g. resource: /crm/v3/objects/contacts",
                "file:models/mappings.syncline.yaml:60 at entities.account.mappings.sfdc.sobject: sobject"
                        + " 'Account; DROP' is not a Salesforce API name. Fix: write the object's API name, e.g. sobject:"
                        + " Contact or sobject: Member__c",
                "file:models/mappings.syncline.yaml:64 at reconciliations.contacts-check.sideA: the JDBC mapping"
                        + " of 'erp' names no table to pull. Fix: add table: to its mapping",
                "file:models/mappings.syncline.yaml:64 at reconciliations.contacts-check.sideB: the Salesforce"
                        + " mapping of 'sfdc' names no sobject to query. Fix: add sobject: <API name of the object>, e.g."
                        + " sobject: Contact",
                "file:models/mappings.syncline.yaml:64 at reconciliations.contacts-check: no timestamp field to"
                        + " measure the tolerance window by. Fix: name the canonical timestamp field with timestampField:"
                        + " <field>, or write tolerance: 0s");
    }
}
