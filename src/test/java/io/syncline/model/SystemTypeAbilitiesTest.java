package io.syncline.model;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The model asks of each system only what its type can do: a mapping that needs an ability its
 * system's type lacks fails at start-up naming the file, the line and the missing ability; a type
 * the application does not have is named with the types it has.
 */
class SystemTypeAbilitiesTest {

    private static final Environment SECRETS = Map.of("SF_CLIENT_ID", "id", "SF_CLIENT_SECRET", "secret",
            "HUBSPOT_TOKEN", "token", "HUBSPOT_SECRET", "secret")::get;

    /** The built-in types and {@code archive}, a type that only reads pages. */
    private static final SystemTypeCatalog WITH_ARCHIVE = BuiltInSystemTypes.with("archive", Set.of(Ability.READ_PAGES));

    @Test
    void aMappingThatNeedsAnAbilityItsTypeLacksIsRefusedWithFileLineAndAbility() throws IOException {
        SyncModelCompiler compiler = new SyncModelCompiler(SECRETS, TransformRegistry.builtIn(),
                (entity, canonicalId, system) -> Optional.empty(), WITH_ARCHIVE);
        ModelValidationException refused = catchThrowableOfType(ModelValidationException.class,
                () -> compiler.compile(List.of(ModelValidationTest.resource("ability-mistakes.syncline.yaml"))));
        List<ModelProblem> problems = refused.problems();

        assertThat(problems).extracting(ModelProblem::file).containsOnly("file:models/ability-mistakes.syncline.yaml");
        assertThat(problems).extracting(ModelProblem::line, ModelProblem::path).containsExactlyInAnyOrder(
                Tuple.tuple(12, "systems.sheet.type"),
                Tuple.tuple(38, "entities.contact.mappings.archive"),
                Tuple.tuple(40, "entities.contact.mappings.archive.erase"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.mappings.archive")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("system 'archive' is of type archive, which cannot write")
                            .contains("contact from crm is applied");
                    assertThat(problem.fix()).contains("direction: in");
                });
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.mappings.archive.erase")).singleElement()
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

    @Test
    void aPolledSystemMustReadChangesAndHoldTheModificationTime() {
        String model = """
                systems:
                  hubspot: {type: hubspot, auth: {token: {env: HUBSPOT_TOKEN}}, webhook: {secret: {env: HUBSPOT_SECRET}}}
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: erp
                    modifiedAt: updatedAt
                    polls:
                      hubspot: {schedule: "0 * * * * ?"}
                      erp: {schedule: "every minute", changes: {param: updated_since}}
                    fields: {id: {type: string}, updatedAt: {type: timestamp}}
                    mappings:
                      hubspot:
                        key: id
                        resource: contacts
                        fields: [{field: id, path: crm_id, direction: in}, {field: updatedAt, path: lastmodifieddate, direction: in}]
                      erp:
                        key: id
                        table: erp_contact
                        fields: [{field: id, path: id}]
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:polls.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("entities.contact.polls.hubspot", 10), // its type cannot read changes
                Tuple.tuple("entities.contact.polls.hubspot", 10), // and, as a REST system, it names no changes filter
                Tuple.tuple("entities.contact.polls.erp", 11),
                Tuple.tuple("entities.contact.polls.erp.schedule", 11),
                Tuple.tuple("entities.contact.polls.erp.changes", 11));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.polls.hubspot"))
                .anySatisfy(problem -> assertThat(problem.problem()).contains("type hubspot, which cannot read changes"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.polls.erp")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("modifiedAt, which erp does not hold"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.polls.erp.changes")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("changes describes a REST API's filter");
                    assertThat(problem.fix()).isEqualTo("remove changes");
                });
    }

    @Test
    void aPollsStartIsAWordOfItsOwnOrATimeWithItsOffset() {
        String model = """
                systems:
                  erp: {type: jdbc, datasource: default}
                  shop: {type: jdbc, datasource: default}
                  ledger: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: erp
                    modifiedAt: updatedAt
                    polls:
                      erp: {schedule: "0 * * * * ?", startAt: backfill}
                      shop: {schedule: "0 * * * * ?", startAt: "2024-03-01T00:00:00Z"}
                      ledger: {schedule: "0 * * * * ?", startAt: "2024-03-01"}
                    fields: {id: {type: string}, updatedAt: {type: timestamp}}
                    mappings:
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                      shop: {key: id, table: shop_contact, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                      ledger: {key: id, table: ledger_contact, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:polls.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("entities.contact.polls.ledger.startAt");
            assertThat(problem.line()).isEqualTo(13);
            assertThat(problem.problem()).contains("'2024-03-01' is no start of a poll");
            assertThat(problem.fix()).contains("backfill").contains("beginning").contains("now").contains("offset");
        });
    }

    @Test
    void aPolledRestSystemMustSayHowItsApiFiltersByModificationTime() {
        String model = """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com"}
                  shop: {type: rest, baseUrl: "https://shop.example.com"}
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: erp
                    modifiedAt: updatedAt
                    polls:
                      crm: {schedule: "0 * * * * ?"}
                      shop:
                        schedule: "0 * * * * ?"
                        changes: {param: " ", format: epoch-seconds, resource: "api/changes?x=1", value: "updated>now"}
                    fields: {id: {type: string}, updatedAt: {type: timestamp}}
                    mappings:
                      crm:
                        key: id
                        resource: /contacts
                        fields: [{field: id, path: id, direction: in}, {field: updatedAt, path: updated_at, direction: in}]
                      shop:
                        key: id
                        resource: /customers
                        fields: [{field: id, path: id, direction: in}, {field: updatedAt, path: updated_at, direction: in}]
                      erp:
                        key: id
                        table: erp_contact
                        fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:rest-polls.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("entities.contact.polls.crm", 11),
                Tuple.tuple("entities.contact.polls.shop.changes.param", 14),
                Tuple.tuple("entities.contact.polls.shop.changes.resource", 14),
                Tuple.tuple("entities.contact.polls.shop.changes.value", 14));
        assertThat(problems).filteredOn(problem -> problem.path().endsWith("changes.value")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("has no {time}"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.polls.crm")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.file()).isEqualTo("file:rest-polls.syncline.yaml");
                    assertThat(problem.problem()).contains("polling REST system 'crm' needs the query parameter");
                    assertThat(problem.fix()).contains("changes: {param: updated_since, format: iso-8601");
                });
    }

    @Test
    void aCapturedSystemMustCaptureChangesBeReadNoOtherWayAndNameWhatItReads() {
        String model = """
                systems:
                  crm: {type: rest, baseUrl: "https://crm.example.com"}
                  erp: {type: jdbc, datasource: default}
                  shop: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: erp
                    webhooks: {shop: /webhooks/shop/contacts}
                    captures:
                      crm: {}
                      erp: {table: "erp contact", slot: Bad-Slot, snapshot: sometimes, serverId: 0}
                      shop: {}
                    fields: {id: {type: string}}
                    mappings:
                      crm:
                        key: id
                        resource: /contacts
                        fields: [{field: id, path: id}]
                      erp:
                        key: id
                        table: erp_contact
                        fields: [{field: id, path: id}]
                      shop:
                        key: id
                        table: shop_contact
                        fields: [{field: id, path: id}]
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:captures.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path).containsExactlyInAnyOrder(
                "entities.contact.captures.crm",
                // a REST mapping has no table to capture either
                "entities.contact.captures.crm.table",
                "entities.contact.captures.erp.table",
                "entities.contact.captures.erp.slot",
                "entities.contact.captures.erp.serverId",
                "entities.contact.captures.erp.snapshot",
                "entities.contact.captures.shop");
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.captures.crm")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.line()).isEqualTo(11);
                    assertThat(problem.problem()).contains("type rest, which cannot capture changes");
                    assertThat(problem.fix()).contains("polls:");
                });
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.captures.shop")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("shop sends this entity by webhook already"));
    }

    @Test
    void aCamelEndpointSystemIsCapturedForOneEntityOnlyAndAKafkaSourceLeavesItsCommitsToSyncline() {
        String model = """
                systems:
                  crm-queue: {type: camel-endpoint, from: "spring-rabbitmq:crm?queues=changes"}
                  crm-topic: {type: camel-endpoint, from: "kafka:changes?brokers=kafka:9092&autoCommitEnable=true"}
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: crm-queue
                    captures: {crm-queue: {}}
                    fields: {id: {type: string}}
                    mappings:
                      crm-queue: {key: id, fields: [{field: id, path: id}]}
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}]}
                  lead:
                    key: id
                    master: crm-queue
                    captures:
                      crm-queue: {}
                    fields: {id: {type: string}}
                    mappings:
                      crm-queue: {key: id, fields: [{field: id, path: id}]}
                      erp: {key: id, table: erp_lead, fields: [{field: id, path: id}]}
                  order:
                    key: id
                    master: crm-topic
                    captures: {crm-topic: {}}
                    fields: {id: {type: string}}
                    mappings:
                      crm-topic: {key: id, fields: [{field: id, path: id}]}
                      erp: {key: id, table: erp_order, fields: [{field: id, path: id}]}
                """;
        List<ModelProblem> problems =
                ModelValidationTest.problems(SECRETS, new ModelFile("file:endpoint-captures.syncline.yaml", model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("entities.lead.captures.crm-queue", 18),
                Tuple.tuple("systems.crm-topic.from", 3));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.lead.captures.crm-queue")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.file()).isEqualTo("file:endpoint-captures.syncline.yaml");
                    assertThat(problem.problem()).contains("captured already by entities.contact.captures.crm-queue");
                    assertThat(problem.fix()).contains("one entity only").contains("a system of its own");
                });
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.crm-topic.from")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("autoCommitEnable is Syncline's to set");
                    assertThat(problem.fix()).contains("remove autoCommitEnable");
                });
    }

    @Test
    void aReconciliationReadsACamelEndpointSystemOnlyWhereItsRecordsAreAtRest() {
        String model = """
                systems:
                  crm-queue: {type: camel-endpoint, from: "spring-rabbitmq:crm?queues=changes"}
                  archive: {type: camel-endpoint, to: "aws2-s3:archive?prefix=contacts/"}
                  snapshot: {type: camel-endpoint, format: csv, from: "file:/data/exports?fileName=contacts.csv&noop=true"}
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: erp
                    fields: {id: {type: string}, updatedAt: {type: timestamp}}
                    mappings:
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                      crm-queue: {key: id, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                      archive: {key: id, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                      snapshot: {key: id, fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]}
                reconciliations:
                  from-queue: {entity: contact, sideA: erp, sideB: crm-queue}
                  from-archive: {entity: contact, sideA: erp, sideB: archive}
                  from-snapshot: {entity: contact, sideA: erp, sideB: snapshot}
                """;
        List<ModelProblem> problems =
                ModelValidationTest.problems(SECRETS, new ModelFile("file:at-rest.syncline.yaml", model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path).containsExactlyInAnyOrder("reconciliations.from-queue.sideB",
                "reconciliations.from-archive.sideB");
        assertThat(problems).filteredOn(problem -> problem.path().equals("reconciliations.from-queue.sideB")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("stream of messages");
                    assertThat(problem.fix()).contains("S3 prefix").contains("folder of files");
                });
        assertThat(problems).filteredOn(problem -> problem.path().equals("reconciliations.from-archive.sideB")).singleElement()
                .satisfies(problem -> assertThat(problem.fix()).contains("add aws:"));
    }

    @Test
    void anExportWritesFilesOfItsOwnNamingIntoAFolderAndOnlyItsSnapshotIsReadWhole() {
        String model = """
                systems:
                  nightly: {type: camel-endpoint, format: csv, to: "file:/data/out", export: {schedule: "0 0 2 * * ?", contents: all}}
                  changes: {type: camel-endpoint, to: "sftp://partner:22/in", export: {fileName: "contacts-{run}.json"},
                            sftp: {username: s, password: {env: SFTP_PASSWORD}, knownHostsFile: /etc/kh}}
                  named: {type: camel-endpoint, to: "file:/data/out?fileName=contacts.csv", export: {}}
                  queue: {type: camel-endpoint, to: "spring-rabbitmq:crm?routingKey=c", export: {}}
                  alike: {type: camel-endpoint, to: "file:/data/out", export: {fileName: "contacts.csv"}}
                  bad-cron: {type: camel-endpoint, to: "file:/data/out", export: {schedule: "nightly"}}
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: erp
                    fields: {id: {type: string}}
                    mappings:
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}]}
                      nightly: {key: id, fields: [{field: id, path: id}]}
                      changes: {key: id, fields: [{field: id, path: id}]}
                reconciliations:
                  with-nightly: {entity: contact, sideA: erp, sideB: nightly, tolerance: 0s}
                  with-changes: {entity: contact, sideA: erp, sideB: changes, tolerance: 0s}
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(Map.of("SFTP_PASSWORD", "p")::get,
                new ModelFile("file:exports.syncline.yaml", model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path).containsExactlyInAnyOrder("systems.named.to", "systems.queue.to",
                "systems.alike", "systems.bad-cron", "reconciliations.with-changes.sideB");
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.named.to")).singleElement()
                .satisfies(problem -> assertThat(problem.fix()).isEqualTo("remove fileName from the URI"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.queue.to")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("spring-rabbitmq: is none"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.alike")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("put {run} or {time} in it"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.bad-cron")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("not a Quartz cron expression"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("reconciliations.with-changes.sideB")).singleElement()
                .satisfies(problem -> assertThat(problem.fix()).contains("contents: all"));
    }

    @Test
    void aMongoDbSystemNeedsItsConnectionFromTheEnvironmentAndEachMappingACollection() {
        String model = """
                systems:
                  catalog: {type: mongodb, connection: {env: CATALOG_MONGODB_URI}, database: shop}
                  leaky: {type: mongodb, connection: "mongodb://app:secret@db:27017", database: shop}
                  erp: {type: jdbc, datasource: default}
                entities:
                  product:
                    key: sku
                    master: erp
                    polls: {erp: {schedule: "0/30 * * * * ?"}}
                    fields: {sku: {type: string}, updatedAt: {type: timestamp}}
                    modifiedAt: updatedAt
                    mappings:
                      erp: {key: sku, table: erp_product, fields: [{field: sku, path: sku}, {field: updatedAt, path: updated_at}]}
                      catalog: {key: sku, fields: [{field: sku, path: sku}, {field: updatedAt, path: updatedAt}]}
                """;
        List<ModelProblem> problems =
                ModelValidationTest.problems(SECRETS, new ModelFile("file:mongodb.syncline.yaml", model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path).containsExactlyInAnyOrder("systems.catalog.connection",
                "systems.leaky", "entities.product.mappings.catalog");
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.catalog.connection")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("CATALOG_MONGODB_URI is not set"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("systems.leaky")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("carries credentials").doesNotContain("secret");
                    assertThat(problem.problem()).contains("connection: {env:");
                });
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.product.mappings.catalog")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("names no collection");
                    assertThat(problem.fix()).contains("add collection:");
                });
    }

    @Test
    void aSalesforceCaptureTakesAChannelOnceAndADatabaseCaptureNone() {
        String model = """
                systems:
                  sfdc: {type: salesforce, loginUrl: "https://example.my.salesforce.com", clientId: {env: SF_CLIENT_ID}, clientSecret: {env: SF_CLIENT_SECRET}}
                  erp: {type: jdbc, datasource: default}
                entities:
                  contact:
                    key: id
                    master: sfdc
                    captures:
                      sfdc: {channel: "data/Contact", table: contact}
                      erp: {channel: /data/ContactChangeEvent}
                    fields: {id: {type: string}}
                    mappings:
                      sfdc: {key: Id, sobject: Contact, fields: [{field: id, path: Id, direction: in}]}
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}]}
                  lead:
                    key: id
                    master: sfdc
                    captures:
                      sfdc: {}
                    fields: {id: {type: string}}
                    mappings:
                      sfdc: {key: Id, sobject: Lead, fields: [{field: id, path: Id, direction: in}]}
                      erp: {key: id, table: erp_lead, fields: [{field: id, path: id}]}
                  member:
                    key: id
                    master: sfdc
                    captures:
                      sfdc: {channel: /data/LeadChangeEvent}
                    fields: {id: {type: string}}
                    mappings:
                      sfdc: {key: Id, sobject: Member__c, fields: [{field: id, path: Id, direction: in}]}
                      erp: {key: id, table: erp_member, fields: [{field: id, path: id}]}
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:sf-captures.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("entities.contact.captures.sfdc.channel", 9),
                Tuple.tuple("entities.contact.captures.sfdc.table", 9),
                Tuple.tuple("entities.contact.captures.erp.channel", 10),
                // the lead's default channel, /data/LeadChangeEvent, is the member's too
                Tuple.tuple("entities.member.captures.sfdc.channel", 28));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.member.captures.sfdc.channel")).singleElement()
                .satisfies(problem -> assertThat(problem.problem()).contains("captured already by entities.lead.captures.sfdc"));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.contact.captures.sfdc.channel")).singleElement()
                .satisfies(problem -> assertThat(problem.fix()).contains("/data/Foo__ChangeEvent"));
    }

    @Test
    void aKeyDiffSaysWhenAndHowMuchAndMarksItsDeletionsWithTheMappingsFlag() {
        String model = """
                systems:
                  erp: {type: jdbc, datasource: default}
                  billing: {type: jdbc, datasource: default}
                entities:
                  customer:
                    key: id
                    master: erp
                    modifiedAt: updatedAt
                    polls:
                      erp:
                        schedule: "0 * * * * ?"
                        deletes: {schedule: "nightly", maxShare: 1.5}
                    fields: {id: {type: string}, updatedAt: {type: timestamp}}
                    mappings:
                      erp:
                        key: id
                        table: erp_customer
                        fields: [{field: id, path: id}, {field: updatedAt, path: updated_at}]
                      billing:
                        key: customer_no
                        table: billing_customer
                        fields: [{field: id, path: customer_no}, {field: updatedAt, path: updated_at}]
                """;
        List<ModelProblem> problems = ModelValidationTest.problems(SECRETS, new ModelFile("file:key-diff.syncline.yaml",
                model.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("entities.customer.polls.erp.deletes.by", 12),
                Tuple.tuple("entities.customer.polls.erp.deletes.schedule", 12),
                Tuple.tuple("entities.customer.polls.erp.deletes.maxShare", 12),
                Tuple.tuple("entities.customer.polls.erp.deletes", 12));
        assertThat(problems).filteredOn(problem -> problem.path().equals("entities.customer.polls.erp.deletes")).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.problem()).contains("delete.flag").contains("erp's mapping has none");
                    assertThat(problem.fix()).contains("delete: {flag: deleted}");
                });
    }

    @Test
    void theShareOfKnownRecordsARunDeletesUnconfirmedIsAtLeastOne() {
        assertThat(new PollDeletes(PollDeletes.Method.KEY_DIFF, "0 * * * * ?", null).allowedOf(1000)).isEqualTo(100);
        assertThat(new PollDeletes(PollDeletes.Method.KEY_DIFF, "0 * * * * ?", 0.2).allowedOf(45)).isEqualTo(9);
        assertThat(new PollDeletes(PollDeletes.Method.KEY_DIFF, "0 * * * * ?", 0.1).allowedOf(5)).isEqualTo(1);
        assertThat(new PollDeletes(PollDeletes.Method.KEY_DIFF, "0 * * * * ?", 1.0).allowedOf(0)).isEqualTo(1);
    }
}
