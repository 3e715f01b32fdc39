package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Salesforce reference written by the parent's external id ({@code {field: company, path: Account,
 * externalId: Ext_Id__c}}) as a reconciliation stages it: read as {@code Account.Ext_Id__c}, the
 * parent's external id value becomes the parent's canonical id (the parent whose value there, as
 * Syncline writes it, is that value), so a contact naming the same company on both sides is equal,
 * one naming another company is a difference naming both, and a value no company has is dangling.
 */
class ExternalIdReferenceStagingTest {

    private static final String MODEL = """
            systems:
              crm: {type: jdbc, datasource: default}
              sfdc:
                type: salesforce
                loginUrl: https://login.salesforce.com
                apiVersion: "62.0"
                auth: client-credentials
                clientId: {env: SF_CLIENT_ID}
                clientSecret: {env: SF_CLIENT_SECRET}
            entities:
              company:
                key: id
                master: crm
                fields:
                  id: {type: string}
                mappings:
                  crm: {key: id, table: company, fields: [{field: id, path: id}]}
                  sfdc: {key: Id, sobject: Account, fields: [{field: id, path: Ext_Id__c}]}
                match: [idMap, {externalId: {field: id}}]
              member:
                key: id
                master: crm
                fields:
                  id: {type: string}
                  company: {type: string, ref: company}
                mappings:
                  crm:
                    key: id
                    table: member
                    fields:
                      - {field: id, path: id}
                      - {field: company, path: company_id}
                  sfdc:
                    key: Id
                    sobject: Contact
                    fields:
                      - {field: id, path: Crm_Id__c}
                      - {field: company, path: Account, externalId: Ext_Id__c}
            reconciliations:
              companies: {entity: company, sideA: crm, sideB: sfdc, tolerance: 0s}
              members: {entity: member, sideA: crm, sideB: sfdc, tolerance: 0s}
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CompiledModel model =
            new SyncModelCompiler(name -> "test-" + name, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                    .compile(List.of(new ModelFile("external-ids", MODEL.getBytes(StandardCharsets.UTF_8))));
    private final ReconciliationJob job = ReconciliationJob.of("members", model.model());
    /** Companies c-1 (crm 11, the org's 001A, Ext_Id__c acme-42) and c-2 (crm 12, 001B, globex-7). */
    private final InMemoryParentIds parents = new InMemoryParentIds(
            Map.of("crm", Map.of("11", "c-1", "12", "c-2"), "sfdc", Map.of("001A", "c-1", "001B", "c-2")),
            Map.of("acme-42", "c-1", "globex-7", "c-2"));

    private static Map<String, Object> crmMember(String id, String company) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("company_id", company);
        return row;
    }

    /** A Contact as the org's query answers it: the relationship a nested record of the Account's Ext_Id__c. */
    private static Map<String, Object> sfdcMember(String id, String externalId) {
        Map<String, Object> row = new HashMap<>();
        row.put("Id", "003" + id);
        row.put("Crm_Id__c", id);
        row.put("Account", externalId == null ? null : Map.of("Ext_Id__c", externalId));
        return row;
    }

    private static String json(StagedRecord record) {
        return new String(record.values(), StandardCharsets.UTF_8);
    }

    private Difference difference(StagedRecord a, StagedRecord b) throws Exception {
        ComparedReferences references = ComparedReferences.of(job, model.transformer().entity("member"));
        Difference found = new DiffProcessor(job, Instant.now(), false, MAPPER, ExpectedDifferences.none(), references)
                .classify(new DiffRow(a.key(), null, null, json(a), json(b)));
        return found == null ? null : references.complete(List.of(found), job, parents).get(0);
    }

    @Test
    void theSameCompanyByItsIdAndByItsExternalIdIsEqual() throws Exception {
        List<StagedRecord> fromCrm = new RecordStager(job, model.transformer(), "crm", MAPPER, parents)
                .stage(List.of(crmMember("m-1", "11"), crmMember("m-2", "12"), crmMember("m-3", null)));
        List<StagedRecord> fromSfdc = new RecordStager(job, model.transformer(), "sfdc", MAPPER, parents)
                .stage(List.of(sfdcMember("m-1", "acme-42"), sfdcMember("m-2", "globex-7"), sfdcMember("m-3", null)));

        for (int i = 0; i < 3; i++) {
            // equal hashes: the diff pairs them as the same record, no difference
            assertThat(fromSfdc.get(i).versionHash()).as(fromSfdc.get(i).key()).isEqualTo(fromCrm.get(i).versionHash());
        }
        assertThat(json(fromSfdc.get(0))).isEqualTo("{\"company\":\"c-1\",\"id\":\"m-1\"}");
        // the org's side by the external id values, one look-up for the chunk; never as record Ids
        assertThat(parents.asked).containsExactly("company@crm:2", "company@sfdc by Ext_Id__c:2");
    }

    @Test
    void aContactPointingAtAnotherAccountIsADifferenceNamingBothCompanies() throws Exception {
        StagedRecord fromCrm = new RecordStager(job, model.transformer(), "crm", MAPPER, parents)
                .stage(List.of(crmMember("m-1", "11"))).get(0);
        StagedRecord fromSfdc = new RecordStager(job, model.transformer(), "sfdc", MAPPER, parents)
                .stage(List.of(sfdcMember("m-1", "globex-7"))).get(0);

        assertThat(difference(fromCrm, fromSfdc).fields()).containsExactly(new Difference.FieldDifference("company", "c-1", "c-2",
                new Difference.Reference("company", "11", "001B",
                        "crm names company c-1 (its id 11), sfdc names company c-2 (its id 001B)")));
    }

    @Test
    void anExternalIdNoCompanyHasIsADanglingReference() throws Exception {
        StagedRecord fromCrm = new RecordStager(job, model.transformer(), "crm", MAPPER, parents)
                .stage(List.of(crmMember("m-1", "11"))).get(0);
        StagedRecord fromSfdc = new RecordStager(job, model.transformer(), "sfdc", MAPPER, parents)
                .stage(List.of(sfdcMember("m-1", "initech-9"))).get(0);

        assertThat(json(fromSfdc)).contains("\"company\":{\"dangling\":\"initech-9\",\"of\":\"sfdc\"}");
        assertThat(ComparedReferences.dangling(difference(fromCrm, fromSfdc).fields().get(0))).isTrue();
    }
}
