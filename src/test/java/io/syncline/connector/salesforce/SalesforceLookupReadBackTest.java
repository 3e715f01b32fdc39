package io.syncline.connector.salesforce;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A contact's {@code AccountId}, written as a reference by {@link SalesforceTargetFlowTest}, is read
 * back by the Salesforce type's fetch into the reference field. In-process (the type and the model
 * are the application's beans), so not part of {@link SalesforceTargetFlowIT}; on the same profile
 * and stub, so Quarkus starts once for both.
 */
@QuarkusTest
@TestProfile(SalesforceTargetFlowTest.FullCollections.class)
@WithTestResource(SalesforceStubResource.class)
class SalesforceLookupReadBackTest {

    SalesforceStub salesforce;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    @Test
    void aContactsAccountIdIsReadBackIntoTheReference() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String account = salesforce.create("Account", Map.of("Name", "Read back " + run));
        LinkedRecords.link(SalesforceStubResource.DATABASE_URL, "account", "crm", "acc-" + run, "sfdc", account);
        SalesforceTargetFlowTest.employeeLanded(salesforce, "e-" + run, "acc-" + run, account);

        String id = (String) TestDatabase.awaitRowsOn(SalesforceStubResource.DATABASE_URL, "SELECT system_id FROM id_map"
                + " WHERE entity = 'employee' AND system = 'sfdc' AND canonical_id = (SELECT canonical_id FROM id_map"
                + " WHERE entity = 'employee' AND system = 'crm' AND system_id = ?)", "e-" + run).get(0).get("system_id");
        Map<String, Object> fetched = types.of("sfdc").fetch("employee", "sfdc", id).orElseThrow();

        assertThat(registry.current().transformer().toCanonicalUnhashed("employee", "sfdc", fetched).fields())
                .containsEntry("account", account);
    }
}
