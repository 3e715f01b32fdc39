package io.syncline.store;

import io.syncline.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check before Flyway migrates, on the real PostgreSQL (and the embedded H2): a store an earlier Syncline left in
 * {@code public} stops start-up with the setting that keeps it; the user's own tables, another
 * application's Flyway history, or a store already in its schema do not.
 */
class StoreSchemaCheckTest {

    private static FluentConfiguration flywayOn(String url) {
        return Flyway.configure().dataSource(url, TestDatabase.user(), TestDatabase.password());
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = TestDatabase.connect(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void aStoreLeftInPublicStopsStartUpNamingTheSettingThatKeepsIt() {
        String url = TestDatabase.siblingUrl("_store_in_public");
        TestDatabase.ensureDatabase(url, true);
        // as Syncline migrated before its tables had a schema of their own
        flywayOn(url).locations("classpath:db/migration", "classpath:db/postgresql").load().migrate();

        assertThatThrownBy(() -> new StoreSchemaCheck("syncline").customize(flywayOn(url)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SYNCLINE_STORE_SCHEMA=public");
        assertThatCode(() -> new StoreSchemaCheck("public").customize(flywayOn(url))).doesNotThrowAnyException();
    }

    @Test
    void anEmbeddedStoreLeftInPublicStopsStartUpToo() {
        String url = "jdbc:h2:mem:store_in_public;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/h2").load().migrate();

        assertThatThrownBy(() -> new StoreSchemaCheck("syncline").customize(Flyway.configure().dataSource(url, "sa", "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SYNCLINE_STORE_SCHEMA=public");
    }

    @Test
    void theUsersTablesAndAnotherApplicationsHistoryPass() throws SQLException {
        String url = TestDatabase.siblingUrl("_user_tables");
        TestDatabase.ensureDatabase(url, true);
        execute(url, "CREATE TABLE public.billing_customer (customer_no VARCHAR(64) PRIMARY KEY)",
                "CREATE TABLE public.flyway_schema_history (installed_rank INT PRIMARY KEY, script VARCHAR(1000))",
                "INSERT INTO public.flyway_schema_history VALUES (1, 'V1__billing.sql')");

        assertThatCode(() -> new StoreSchemaCheck("syncline").customize(flywayOn(url))).doesNotThrowAnyException();
    }

    @Test
    void aSchemaNameMustBeAPlainLowerCaseIdentifier() {
        assertThat(StoreSchema.checked("syncline_store")).isEqualTo("syncline_store");
        for (String wrong : new String[]{"Syncline", "sync-line", "1store", "pg_store", "a;drop", ""}) {
            assertThatThrownBy(() -> StoreSchema.checked(wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("syncline.store.schema");
        }
    }
}
