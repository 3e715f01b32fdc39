package io.syncline.connector.rest;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.syncline.testsupport.HubSpotStub.CONTACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Reading a REST target back before a write ({@code readBack: true}), against the HubSpot stub:
 * system {@code hubspot} reads each contact back, system {@code mirror} (the same stub) does not.
 * A last name edited in the target behind Syncline's back is a conflict held for review there,
 * and overwritten in the mirror as before; a contact deleted in the target is not written again.
 */
@QuarkusTest
@WithTestResource(value = HubSpotStubResource.class,
        initArgs = @ResourceArg(name = HubSpotStubResource.FOLDER, value = RestReadBackTest.FOLDER))
class RestReadBackTest {

    static final String FOLDER = "readback-routes";
    private static final String DATABASE = HubSpotStubResource.databaseOf(FOLDER);

    HubSpotStub hubspot;

    /** The entity that {@code target} holds: contact in hubspot, person in mirror. */
    private static String entity(String target) {
        return target.equals("hubspot") ? "contact" : "person";
    }

    private static void accept(String target, String id, String email, String lastName, String stage) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("email", email);
        contact.put("lastName", lastName);
        contact.put("lifecycleStage", stage);
        given().contentType(ContentType.JSON).body(contact).when().post(target.equals("hubspot") ? "/webhooks/crm/contacts" : "/webhooks/crm/people").then()
                .statusCode(202);
    }

    /** The final status (done, held or dead) of the {@code n}th event of contact {@code id} for {@code target}. */
    private static Map<String, Object> finalEvent(String id, String target, int n) {
        return TestDatabase.awaitRowsOn(DATABASE, "SELECT status, last_error FROM inbox WHERE record_key = ?"
                + " AND entity = ? AND status IN ('done', 'held', 'dead') ORDER BY id OFFSET ?", id, entity(target), n - 1)
                .get(0);
    }

    private static String linked(String id, String target) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = ?"
                + " AND system = ? AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = ?"
                + " AND system = 'crm' AND system_id = ?)", entity(target), target, entity(target), id).get(0).get("system_id");
    }

    private List<HubSpotStub.Received> calls(String method, String hubspotId) {
        return hubspot.received(method, CONTACTS + "/" + hubspotId);
    }

    @Test
    void aLastNameEditedInTheTargetIsHeldForReviewWhereItIsReadBackAndOverwrittenWhereNot() {
        String id = "rb-" + UUID.randomUUID();
        String other = "mr-" + UUID.randomUUID();
        accept("hubspot", id, id + "@example.com", "Lovelace", "lead");
        accept("mirror", other, other + "@example.com", "Lovelace", "lead");
        assertThat(finalEvent(id, "hubspot", 1)).containsEntry("status", "done");
        assertThat(finalEvent(other, "mirror", 1)).containsEntry("status", "done");
        String readBack = linked(id, "hubspot");
        String mirror = linked(other, "mirror");
        // someone edits both copies in HubSpot itself
        hubspot.contact(readBack).put("lastname", "Byron");
        hubspot.contact(mirror).put("lastname", "Byron");

        accept("hubspot", id, id + "@example.com", "King", "customer");
        accept("mirror", other, other + "@example.com", "King", "customer");

        assertThat(finalEvent(id, "hubspot", 2)).containsEntry("status", "held");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT kind FROM review_item WHERE source_system = 'crm' AND source_id = ?"
                + " AND status = 'open'", id)).singleElement().satisfies(item -> assertThat(item).containsEntry("kind", "conflict"));
        assertThat(calls("GET", readBack)).hasSize(1);
        assertThat(calls("PATCH", readBack)).isEmpty();
        assertThat(hubspot.contact(readBack)).containsEntry("lastname", "Byron").containsEntry("lifecyclestage", "lead");
        admin().when().get("/admin/records/contact/" + id + "?by=crm").then().statusCode(200)
                .body("systems.hubspot.valuesFrom", equalTo("live"))
                .body("systems.hubspot.values.lastName", equalTo("Byron"));

        assertThat(finalEvent(other, "mirror", 2)).containsEntry("status", "done");
        assertThat(calls("GET", mirror)).isEmpty();
        assertThat(calls("PATCH", mirror)).hasSize(1);
        assertThat(hubspot.contact(mirror)).containsEntry("lastname", "King").containsEntry("lifecyclestage", "customer");
        admin().when().get("/admin/records/person/" + other + "?by=crm").then().statusCode(200)
                .body("systems.mirror.valuesFrom", equalTo("record_state"));
    }

    @Test
    void aContactDeletedInTheTargetIsNotWrittenAgainWhereItIsReadBack() {
        String id = "rb-" + UUID.randomUUID();
        String email = id + "@example.com";
        accept("hubspot", id, email, "Lovelace", "lead");
        assertThat(finalEvent(id, "hubspot", 1)).containsEntry("status", "done");
        String readBack = linked(id, "hubspot");
        assertThat(hubspot.forget(readBack)).isTrue();

        accept("hubspot", id, email, "Lovelace", "customer");

        Map<String, Object> event = finalEvent(id, "hubspot", 2);
        assertThat(event).containsEntry("status", "dead");
        assertThat((String) event.get("last_error")).contains(readBack).contains("gone");
        assertThat(calls("PATCH", readBack)).isEmpty();
        assertThat(hubspot.find("email", email)).isEmpty();
        admin().when().get("/admin/records/contact/" + id + "?by=crm").then().statusCode(200)
                .body("systems.hubspot.valuesFrom", equalTo("live: no such row"));
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }
}
