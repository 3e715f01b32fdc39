package io.syncline.sync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two systems synced both ways, each sending webhooks for every change, Syncline's own writes
 * included (the two-way contacts of {@link TwoWayContacts}). Syncline's write coming back is recognised by its
 * fingerprint and dropped as an echo, so changes do not loop; a real change from the same
 * system still flows. No integration user is needed to tell the two apart.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class EchoSuppressionTest {

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
    }

    /** The test's own id in the text, never an outside value. */
    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void post(String system, Map<String, Object> body) {
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/echo/" + system).then().statusCode(202);
    }

    private static List<String> actions(String id) {
        return TestDatabase.awaitRows("SELECT action, target_system FROM audit_log WHERE canonical_id ="
                + " (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?) ORDER BY id", id)
                .stream().map(row -> row.get("action") + "->" + row.get("target_system")).toList();
    }

    @Test
    void ownWritesComingBackAreDroppedAsEchoesWhileRealChangesFlowBothWays() throws SQLException {
        String id = "echo-" + UUID.randomUUID();
        String email = id + "@example.com";
        post("crm", Map.of("id", id, "email", email, "last_name", "Nygaard", "city", "Oslo", "updated_at", "2024-07-01T09:00:00Z"));
        TestDatabase.awaitRows("SELECT 1 FROM conflict_billing_contact WHERE external_id = ?", id);

        // Billing tells of the row Syncline just wrote, stamped with its own time.
        post("billing", Map.of("external_id", id, "email", email.toUpperCase(), "last_name", "Nygaard", "city", "Oslo",
                "updated_at", "2024-07-01T09:00:05Z"));
        TestDatabase.awaitRows("SELECT 1 FROM audit_log WHERE source_id = ? AND action = 'echo'", id);
        assertThat(TestDatabase.query("SELECT 1 FROM conflict_crm_contact WHERE id = ?", id)).isEmpty();

        // A billing user really changes the city: it reaches the CRM, whose own webhook is then an echo.
        execute("UPDATE conflict_billing_contact SET city = 'Bergen' WHERE external_id = '" + id + "'");
        post("billing", Map.of("external_id", id, "email", email, "last_name", "Nygaard", "city", "Bergen",
                "updated_at", "2024-07-02T09:00:00Z"));
        TestDatabase.awaitRows("SELECT 1 FROM conflict_crm_contact WHERE id = ? AND city = 'Bergen'", id);
        post("crm", Map.of("id", id, "email", email, "last_name", "Nygaard", "city", "Bergen", "updated_at", "2024-07-02T09:00:02Z"));
        TestDatabase.awaitRows("SELECT 1 FROM audit_log WHERE source_id = ? AND source_system = 'crm' AND action = 'echo'", id);

        assertThat(actions(id)).containsExactly("created->billing", "echo->crm", "created->crm", "echo->billing");
        assertThat(TestDatabase.query("SELECT city FROM conflict_billing_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("city", "Bergen"));
    }
}
