package io.syncline.status;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import io.syncline.testsupport.TwoWayContacts.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The record status API and the sync-before-ship gate on the two-way contacts: ids and last
 * sync per system, whether billing is current with the CRM (its master), and a re-sync that
 * makes it so.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class RecordStatusApiTest {

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static String canonicalId(String crmId) {
        return (String) TestDatabase.query("SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm'"
                + " AND system_id = ?", crmId).get(0).get("canonical_id");
    }

    @Test
    void syncedRecordShowsItsIdsLastSyncAndVersionsInEverySystemAndIsCurrent() throws SQLException {
        String id = "st-" + UUID.randomUUID();
        TwoWayContacts.create(id);

        admin().when().get("/admin/records/contact/" + id + "?by=crm").then().statusCode(200)
                .body("canonicalId", equalTo(canonicalId(id)))
                .body("master", equalTo("crm"))
                .body("systems.crm.id", equalTo(id))
                .body("systems.crm.master", equalTo(true))
                .body("systems.billing.id", equalTo(id))
                .body("systems.billing.current", equalTo(true))
                .body("systems.billing.valuesFrom", equalTo("live"))
                .body("systems.billing.values.cityLww", equalTo("X0"))
                .body("systems.billing.lastSync.syncRunId", containsString("inbox-"))
                .body("systems.billing.lastSync.versionHash", notNullValue())
                .body("systems.billing.lastSync.sourceSystem", equalTo("crm"))
                .body("systems.billing.lastSync.provenance.city.system", equalTo("crm"))
                .body("systems.crm.lastSync.lastSyncedAt", notNullValue())
                .body("openReviewItems", empty());
        admin().when().get("/admin/records/contact/" + canonicalId(id)).then().statusCode(200)
                .body("systems.billing.id", equalTo(id));
        admin().when().get("/admin/records/contact/" + id + "/current?system=billing&by=crm").then().statusCode(200)
                .body("current", equalTo(true))
                .body("reasons", empty());
    }

    @Test
    void driftInTheTargetMakesItNotCurrentAndSyncNowPushesTheMastersValuesThroughTheNormalPath() throws SQLException {
        String id = "st-" + UUID.randomUUID();
        TwoWayContacts.create(id);
        // Someone edits billing behind Syncline's back, and no webhook tells of it.
        TwoWayContacts.edit(Side.BILLING, id, Map.of("city", "Nowhere"));

        admin().when().get("/admin/records/contact/" + id + "/current?system=billing&by=crm").then().statusCode(200)
                .body("current", equalTo(false))
                .body("differences.city.masterSystem", equalTo("crm"))
                .body("differences.city.master", equalTo("X0"))
                .body("differences.city.here", equalTo("Nowhere"))
                .body("reasons", hasItem("city differs from crm"));

        admin().when().get("/admin/records/contact/" + id + "/current?system=billing&by=crm&syncNow=true").then()
                .statusCode(200)
                .body("sync.status", equalTo("done"))
                .body("current", equalTo(true))
                .body("reasons", empty());
        assertThat(TestDatabase.query("SELECT requested_by FROM inbox WHERE origin = 'resync' AND record_key = ?", id))
                .containsExactly(Map.of("requested_by", "admin"));

        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city")).isEqualTo("X0");
        assertThat(TestDatabase.query("SELECT action, detail FROM audit_log WHERE source_id = ? AND target_system = 'billing'"
                + " ORDER BY id DESC LIMIT 1", id)).singleElement().satisfies(row -> {
                    assertThat(row.get("action")).isEqualTo("updated");
                    assertThat((String) row.get("detail")).contains("re-sync of the master's last known values");
                });
        assertThat(TestDatabase.query("SELECT origin FROM inbox WHERE record_key = ? ORDER BY id DESC LIMIT 1", id))
                .containsExactly(Map.of("origin", "resync"));
    }

    @Test
    void heldConflictMakesTheTargetNotCurrentAndShowsInTheStatus() throws SQLException {
        String id = "st-" + UUID.randomUUID();
        TwoWayContacts.create(id);
        TwoWayContacts.edit(Side.BILLING, id, Map.of("city_review", "B", "updated_at", TwoWayContacts.T0.plusSeconds(60)));
        TwoWayContacts.edit(Side.CRM, id, Map.of("city_review", "A", "updated_at", TwoWayContacts.T0.plusSeconds(120)));
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");

        admin().when().get("/admin/records/contact/" + id + "?by=crm").then().statusCode(200)
                .body("openReviewItems.kind", hasItem("conflict"))
                .body("systems.billing.current", equalTo(false))
                .body("systems.billing.differences.cityReview.here", equalTo("B"))
                .body("systems.billing.reasons", hasItem(containsString("holds a change for it")));
    }

    @Test
    void unknownRecordEntityOrSystemIsNamed() {
        admin().when().get("/admin/records/contact/nobody?by=crm").then().statusCode(404).body("error", equalTo("not_found"));
        admin().when().get("/admin/records/invoice/x").then().statusCode(400).body("message", containsString("Unknown entity"));
        admin().when().get("/admin/records/contact/x?by=erp").then().statusCode(400).body("message", containsString("erp"));
        admin().when().get("/admin/records/contact/x/current").then().statusCode(400).body("message", containsString("?system="));
        given().when().get("/admin/records/contact/x").then().statusCode(401);
    }
}
