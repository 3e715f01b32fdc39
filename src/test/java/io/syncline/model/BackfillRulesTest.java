package io.syncline.model;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A backfill the model cannot run is refused at start-up, each mistake with its line and fix. */
class BackfillRulesTest {

    private static final String MODEL = """
            systems:
              erp: {type: jdbc, datasource: default}
              billing: {type: jdbc, datasource: default}
              reports: {type: jdbc, datasource: default}
            entities:
              customer:
                key: id
                master: erp
                webhooks: {erp: /webhooks/erp/customers}
                fields: {id: {type: string}, tier: {type: string}}
                mappings:
                  erp:
                    key: id
                    table: erp_customer
                    fields: [{field: id, path: id}, {field: tier, path: tier}]
                  billing:
                    key: id
                    table: billing_customer
                    fields: [{field: id, path: id}, {field: tier, path: tier}]
                  reports:
                    key: id
                    table: report_customer
                    fields: [{field: id, path: id, direction: in}]
            backfills:
              good:
                entity: customer
                source: erp
                filter: {tier: gold}
              Bad_Name:
                entity: customer
                source: books
              into-itself:
                entity: customer
                source: erp
                targets: [erp, reports]
                filter: {level: gold}
                batchSize: 0
                maxUpdateShare: 1.5
            """;

    @Test
    void eachMistakeIsLocated() {
        List<ModelProblem> problems = ModelValidationTest.problems(name -> null,
                new ModelFile("file:models/backfills.syncline.yaml", MODEL.getBytes(StandardCharsets.UTF_8)));

        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line).containsExactlyInAnyOrder(
                Tuple.tuple("backfills.Bad_Name", 29),
                Tuple.tuple("backfills.Bad_Name.source", 31),
                Tuple.tuple("backfills.into-itself.targets", 35),
                Tuple.tuple("backfills.into-itself.targets", 35),
                Tuple.tuple("backfills.into-itself.filter.level", 36),
                Tuple.tuple("backfills.into-itself.batchSize", 37),
                Tuple.tuple("backfills.into-itself.maxUpdateShare", 38));
        assertThat(problems).extracting(ModelProblem::problem).contains(
                "backfill name 'Bad_Name' is not kebab-case",
                "customer has no mapping for 'books'",
                "'erp' is the backfill's source",
                "customer's mapping for 'reports' writes no field",
                "'level' is not a canonical field of customer");
    }

    private static String related(String primaryContact) {
        return """
                systems:
                  erp: {type: jdbc, datasource: default}
                  billing: {type: jdbc, datasource: default}
                entities:
                  company:
                    key: id
                    master: erp
                    fields: {id: {type: string}, primaryContact: %s}
                    mappings:
                      erp: {key: id, table: erp_company, fields: [{field: id, path: id}, {field: primaryContact, path: contact_id}]}
                      billing: {key: id, table: billing_company, fields: [{field: id, path: id}, {field: primaryContact, path: contact_id}]}
                  contact:
                    key: id
                    master: erp
                    fields: {id: {type: string}, company: {type: string, ref: company}, manager: {type: string, ref: contact}}
                    mappings:
                      erp: {key: id, table: erp_contact, fields: [{field: id, path: id}, {field: company, path: company_id},
                        {field: manager, path: manager_id}]}
                      billing: {key: id, table: billing_contact, fields: [{field: id, path: id}, {field: company, path: company_id},
                        {field: manager, path: manager_id}]}
                backfills:
                  crm-into-billing:
                    entities: [contact, company]
                    source: erp
                """.formatted(primaryContact);
    }

    @Test
    void aCycleAmongTheEntitiesOfABackfillIsRefusedUnlessAnEmptiedReferenceBreaksIt() {
        List<ModelProblem> problems = ModelValidationTest.problems(name -> null, new ModelFile("file:models/related.syncline.yaml",
                related("{type: string, ref: contact}").getBytes(StandardCharsets.UTF_8)));
        assertThat(problems).extracting(ModelProblem::path, ModelProblem::line)
                .containsExactly(Tuple.tuple("backfills.crm-into-billing.entities", 23));
        assertThat(problems.get(0).problem()).contains("contact -> company -> contact");

        String broken = related("{type: string, ref: contact, missingParent: empty}");
        assertThat(ModelValidationTest.problems(name -> null, new ModelFile("file:models/related.syncline.yaml",
                broken.getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void parentsComeFirstWhateverTheOrderListed() {
        EntityDefinition company = entity(Map.of("id", new CanonicalField(CanonicalField.Type.STRING, null, null, null, null)));
        EntityDefinition contact = entity(Map.of("company", new CanonicalField(CanonicalField.Type.STRING, null, "company", null, null),
                "manager", new CanonicalField(CanonicalField.Type.STRING, null, "contact", null, null)));
        EntityDefinition deal = entity(Map.of("contact", new CanonicalField(CanonicalField.Type.STRING, null, "contact", null, null),
                "company", new CanonicalField(CanonicalField.Type.STRING, null, "company", null, null)));
        Map<String, EntityDefinition> entities = Map.of("company", company, "contact", contact, "deal", deal);

        assertThat(BackfillOrder.of(List.of("deal", "contact", "company"), entities)).contains(List.of("company", "contact", "deal"));
        // an entity outside the backfill orders nothing
        assertThat(BackfillOrder.of(List.of("deal", "contact"), entities)).contains(List.of("contact", "deal"));
    }

    private static EntityDefinition entity(Map<String, CanonicalField> fields) {
        return new EntityDefinition("id", "erp", Map.of(), fields, Map.of(), List.of(), null, null, null, null);
    }
}
