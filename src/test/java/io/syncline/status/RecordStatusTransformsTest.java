package io.syncline.status;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.ModelAloneProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * The Quickstart with billing's last name upper-cased by its mapping (the README's dev-mode
 * edit): billing holds what its mapping makes of the master's value, and the record status
 * counts that as current; a value changed in billing behind Syncline's back is still drift.
 */
@QuarkusTest
@TestProfile(ModelAloneProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class RecordStatusTransformsTest {

    @Test
    void aTransformOfTheTargetsMappingIsNotDriftButAChangeBehindSynclinesBackIs() {
        String id = "c-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "email", id + "@example.com", "firstName", "Alan", "lastName", "Turing"))
                .when().post("/webhooks/demo/contacts").then().statusCode(202);
        assertThat(TestDatabase.awaitRows("SELECT last_name FROM demo_contact WHERE external_id = ?", id).get(0))
                .containsEntry("last_name", "TURING");

        admin().get("/admin/records/contact/" + id + "/current?by=crm&system=billing").then().statusCode(200)
                .body("current", equalTo(true))
                .body("reasons", empty());

        TestDatabase.update("UPDATE demo_contact SET last_name = 'BABBAGE' WHERE external_id = ?", id);
        admin().get("/admin/records/contact/" + id + "/current?by=crm&system=billing").then().statusCode(200)
                .body("current", equalTo(false))
                .body("reasons", contains("lastName differs from crm"))
                .body("differences.lastName.master", equalTo("Turing"))
                .body("differences.lastName.here", equalTo("BABBAGE"));
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }
}
