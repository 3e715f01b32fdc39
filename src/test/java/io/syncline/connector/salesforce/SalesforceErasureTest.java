package io.syncline.connector.salesforce;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.Erasure;
import io.syncline.model.Ability;
import io.syncline.model.EraseSpec;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.syncline.connector.salesforce.SalesforceTargetFlowTest.accept;
import static io.syncline.connector.salesforce.SalesforceTargetFlowTest.contact;
import static io.syncline.connector.salesforce.SalesforceTargetFlowTest.finalStatus;
import static io.syncline.connector.salesforce.SalesforceTargetFlowTest.salesforceId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privacy request's erasure of a Salesforce record, through the org's connector: its erased
 * fields set to null, then the record deleted, then found gone. (Not part of the packaged IT:
 * it calls the system type in the application.)
 */
@QuarkusTest
@TestProfile(SalesforceTargetFlowTest.FullCollections.class)
@WithTestResource(SalesforceStubResource.class)
class SalesforceErasureTest {

    SalesforceStub salesforce;

    @Inject
    SystemTypes types;

    private Map<String, Object> salesforceContact(String crmId) {
        return salesforce.records("Contact").stream().filter(record -> crmId.equals(record.get("Crm_Id__c")))
                .findFirst().orElseThrow(() -> new AssertionError("no Salesforce contact of CRM id " + crmId));
    }

    @Test
    void aPrivacyErasureAnonymisesOrDeletesTheSalesforceRecordThroughTheConnector() throws Exception {
        String id = "erase-" + UUID.randomUUID();
        assertThat(finalStatus(accept(contact(id, "Lovelace")))).isEqualTo("done");
        String salesforceId = salesforceId(id);
        assertThat(types.can("sfdc", Ability.ERASE)).as("Salesforce erases through its connector, not by hand").isTrue();

        String anonymised = types.of("sfdc").erase("contact", "sfdc", salesforceId,
                new Erasure(EraseSpec.Mode.ANONYMISE, Map.of("email", "Email", "firstName", "FirstName")));
        assertThat(anonymised).isEqualTo("anonymised: 2 fields");
        Map<String, Object> anonymisedContact = salesforceContact(id);
        assertThat(anonymisedContact.get("Email")).as("Email emptied").isNull();
        assertThat(anonymisedContact.get("FirstName")).as("FirstName emptied").isNull();
        assertThat(anonymisedContact).containsEntry("LastName", "Lovelace");

        assertThat(types.of("sfdc").erase("contact", "sfdc", salesforceId, new Erasure(EraseSpec.Mode.HARD, Map.of())))
                .isEqualTo("hard delete");
        assertThat(salesforce.records("Contact")).noneMatch(record -> salesforceId.equals(record.get("Id")));
        assertThat(salesforce.calls("DELETE", "/sobjects/Contact/" + salesforceId)).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(204));
        assertThat(types.of("sfdc").erase("contact", "sfdc", salesforceId, new Erasure(EraseSpec.Mode.HARD, Map.of())))
                .isEqualTo("already gone");
    }
}
