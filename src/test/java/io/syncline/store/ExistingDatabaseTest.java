package io.syncline.store;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Syncline's first start in a database that already holds the user's own table
 * ({@code public.billing_customer}, with a row): the service comes up ready, its tables are all
 * in schema {@code syncline}, the user's schema gains nothing and their row stays as it was, and
 * a customer posted to the CRM webhook is written into the user's table.
 */
@QuarkusTest
@WithTestResource(ExistingDatabaseTest.UserDatabase.class)
class ExistingDatabaseTest {

    static final String DATABASE = TestDatabase.siblingUrl("_existing");

    /** A fresh database with the user's table in it, before Syncline's first start. */
    public static class UserDatabase implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            TestDatabase.ensureDatabase(DATABASE, true);
            try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE public.billing_customer (customer_no VARCHAR(64) PRIMARY KEY,"
                        + " name VARCHAR(200), email VARCHAR(320))");
                statement.execute("INSERT INTO public.billing_customer VALUES ('own-1', 'Kept As It Was', 'kept@example.com')");
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot create the user's table", e);
            }
            return Map.of("syncline.routes.location", "src/test/resources/existing-database-routes",
                    "quarkus.datasource.jdbc.url", DATABASE,
                    "quarkus.datasource.username", TestDatabase.user(),
                    "quarkus.datasource.password", TestDatabase.password());
        }

        @Override
        public void stop() {
            // the database outlives the run, for a failure to be inspected
        }
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static List<Object> tablesIn(String schema) {
        return query("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name", schema)
                .stream().map(row -> row.get("table_name")).toList();
    }

    @Test
    void startsBesideTheUsersTableWithItsOwnTablesInSchemaSyncline() {
        given().when().get("/q/health/ready").then().statusCode(200);

        assertThat(tablesIn("syncline")).contains("flyway_schema_history", "inbox", "id_map", "record_state",
                "audit_log", "dead_letter", "qrtz_triggers", "reconciliation_record", "demo_contact");
        assertThat(tablesIn("public")).containsExactly("billing_customer");
        assertThat(query("SELECT customer_no, name, email FROM public.billing_customer"))
                .containsExactly(Map.of("customer_no", "own-1", "name", "Kept As It Was", "email", "kept@example.com"));
    }

    @Test
    void syncsIntoTheUsersTable() {
        given().contentType(ContentType.JSON).body(Map.of("id", "crm-7", "name", "Ada Lovelace", "email", "ADA@example.com"))
                .when().post("/webhooks/crm/customers").then().statusCode(202);

        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT name, email FROM public.billing_customer WHERE customer_no = ?", "crm-7"))
                .containsExactly(Map.of("name", "Ada Lovelace", "email", "ada@example.com"));
        assertThat(query("SELECT count(*) AS n FROM syncline.audit_log WHERE target_system = 'billing'").get(0).get("n"))
                .isEqualTo(1L);
    }
}
