package io.syncline.privacy;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Audit diffs and dead-letter payloads past their entity's retention keep their field names and
 * a digest of each value, nothing else; younger ones, and other entities' within their own
 * (longer) retention, stay whole; a reduced dead letter is refused for replay with the reason.
 * Contacts are kept thirty days here, other entities four hundred ({@link FastRetriesProfile}).
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class PersonalDataRetentionTest {

    @Inject
    PersonalDataRetention retention;

    private static long audit(String entity, int daysAgo, String diff) {
        return ((Number) TestDatabase.query("INSERT INTO audit_log (occurred_at, action, entity, canonical_id, diff)"
                + " VALUES (now() - make_interval(days => ?), 'updated', ?, ?, ?) RETURNING id",
                daysAgo, entity, UUID.randomUUID().toString(), diff).get(0).get("id")).longValue();
    }

    private static long deadLetter(int daysAgo, String payload) {
        long inbox = ((Number) TestDatabase.query("INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, payload,"
                + " status, record_key, received_at) VALUES ('crm-contact-webhook', 'direct:contact-crm-to-billing', 'contact',"
                + " 'crm', ?, 'dead', ?, now() - make_interval(days => ?)) RETURNING id", payload, UUID.randomUUID().toString(),
                daysAgo).get(0).get("id")).longValue();
        return ((Number) TestDatabase.query("INSERT INTO dead_letter (route_id, entity, source_system, payload, reason,"
                + " exception_type, inbox_id, first_failed_at) VALUES ('crm-contact-webhook', 'contact', 'crm', ?, 'test',"
                + " 'test', ?, now() - make_interval(days => ?)) RETURNING id", payload, inbox, daysAgo).get(0).get("id"))
                .longValue();
    }

    private static String column(String sql, long id) {
        return (String) TestDatabase.query(sql, id).get(0).values().iterator().next();
    }

    @Test
    void personalDataPastItsRetentionKeepsFieldNamesAndDigestsOnly() throws SQLException {
        String secret = "ada-" + UUID.randomUUID() + "@example.com";
        String diff = "{\"email\":{\"from\":\"old@example.com\",\"to\":\"" + secret + "\"},\"lastName\":{\"from\":null,\"to\":\"Lovelace\"}}";
        long oldContact = audit("contact", 45, diff);
        long youngContact = audit("contact", 10, diff);
        long oldInvoice = audit("invoice", 45, diff);
        long oldLetter = deadLetter(45, "{\"id\":\"c-9\",\"email\":\"" + secret + "\",\"address\":{\"city\":\"London\"}}");

        // what is reduced and what stays whole, whether this call or route privacy-retention reduced it
        retention.reduce();

        String reduced = column("SELECT diff FROM audit_log WHERE id = ?", oldContact);
        assertThat(reduced).startsWith("{\"retained\":\"digests\"")
                .contains("\"email\"", "\"lastName\"", "\"from\"", "\"to\"", PersonalDataRetention.digest(secret))
                .doesNotContain(secret, "Lovelace", "old@example.com");
        assertThat(column("SELECT diff FROM audit_log WHERE id = ?", youngContact)).isEqualTo(diff);
        // invoices keep the default retention (400 days here)
        assertThat(column("SELECT diff FROM audit_log WHERE id = ?", oldInvoice)).isEqualTo(diff);

        String letter = column("SELECT payload FROM dead_letter WHERE id = ?", oldLetter);
        assertThat(letter).startsWith("{\"retained\":\"digests\"").contains("\"email\"", "\"city\"")
                .doesNotContain(secret, "London", "c-9");
        assertThat(TestDatabase.query("SELECT i.payload FROM inbox i JOIN dead_letter d ON d.inbox_id = i.id WHERE d.id = ?",
                oldLetter).get(0).get("payload")).asString().startsWith("{\"retained\":\"digests\"").doesNotContain(secret);

        // reduced once: a second run leaves it as it is
        retention.reduce();
        assertThat(column("SELECT diff FROM audit_log WHERE id = ?", oldContact)).isEqualTo(reduced);

        given().auth().preemptive().basic("admin", "test-only-password")
                .when().post("/admin/dead-letters/" + oldLetter + "/replay")
                .then().statusCode(409).body("message", containsString("past its retention"));
    }
}
