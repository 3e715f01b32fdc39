package io.syncline.connector.salesforce;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SalesforceStubResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check of a Salesforce org before its first event ({@code GET /admin/check}), against the org
 * stub of {@link SalesforceTargetFlowTest} (its profile, so no application of its own is built):
 * the session and the day's API allowance, then each mapped object's describe: a field the
 * mapping names that the object lacks, and the field new records are upserted by not marked
 * External ID, each named with its fix until fixed.
 */
@QuarkusTest
@TestProfile(SalesforceTargetFlowTest.FullCollections.class)
@WithTestResource(SalesforceStubResource.class)
class SalesforceCheckTest {

    private static final String PASSWORD = "test-only-password";

    SalesforceStub salesforce;

    private static JsonPath report() {
        return given().auth().preemptive().basic("admin", PASSWORD).when().get("/admin/check")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String step(JsonPath report, String check, String part) {
        return report.getString("systems.find { it.system == 'sfdc' }.checks.find { it.check == '" + check + "' }." + part);
    }

    @Test
    void aMissingFieldAndAnUnmarkedExternalIdAreNamedWithTheirFixesUntilFixed() {
        salesforce.fields("Account", "Ext_Id__c");
        salesforce.externalIds("Contact");
        salesforce.externalIds("Account");
        try {
            JsonPath broken = report();
            assertThat(broken.getString("systems.find { it.system == 'sfdc' }.status")).isEqualTo("FAILED");
            assertThat(step(broken, "credentials", "outcome")).isEqualTo("PASSED");
            assertThat(step(broken, "credentials", "detail")).contains("daily API requests left");
            assertThat(step(broken, "object Account (company)", "outcome")).isEqualTo("FAILED");
            assertThat(step(broken, "object Account (company)", "detail"))
                    .isEqualTo("no field Name; Ext_Id__c is not an External ID field, which new records are upserted by");
            assertThat(step(broken, "object Account (company)", "fix"))
                    .contains("create the Account field Name")
                    .contains("mark Account.Ext_Id__c as External ID (Setup > Object Manager > Account > Fields & Relationships");
            assertThat(step(broken, "object Contact (contact)", "detail"))
                    .isEqualTo("Crm_Id__c is not an External ID field, which new records are upserted by");

            salesforce.fields("Account", "Name", "Ext_Id__c");
            salesforce.externalIds("Contact", "Crm_Id__c");
            salesforce.externalIds("Account", "Ext_Id__c");
            JsonPath fixed = report();
            assertThat(fixed.getString("systems.find { it.system == 'sfdc' }.status")).isEqualTo("PASSED");
            assertThat(step(fixed, "object Contact (contact)", "detail"))
                    .isEqualTo("has the fields the mapping names: Crm_Id__c, Email, FirstName, LastName; new records upserted by Crm_Id__c");
            assertThat(step(fixed, "object Contact (member)", "detail"))
                    .isEqualTo("has the fields the mapping names: AccountId, Crm_Id__c, LastName; new records upserted by Crm_Id__c");
        } finally {
            salesforce.fields("Account", "Name", "Ext_Id__c");
        }
    }
}
