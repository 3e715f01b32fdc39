package io.syncline.connector.jdbc;

import io.syncline.model.CanonicalField;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL each dialect writes and how it binds canonical values; SqlDialectDatabaseTest runs it for real. */
class SqlDialectTest {

    private static final SqlDialect POSTGRESQL = SqlDialect.forProduct("PostgreSQL");
    private static final SqlDialect MARIADB = SqlDialect.forProduct("MariaDB");
    private static final List<String> COLUMNS = List.of("customer_no", "email", "updated_at");

    @Test
    void chosenByTheProductNameTheDriverReports() {
        assertThat(SqlDialect.forProduct("PostgreSQL").name()).isEqualTo("PostgreSQL");
        assertThat(SqlDialect.forProduct("H2").name()).isEqualTo("H2");
        assertThat(SqlDialect.forProduct("MariaDB").name()).isEqualTo("MariaDB");
        assertThat(SqlDialect.forProduct("MySQL")).isSameAs(SqlDialect.forProduct("MariaDB"));
    }

    @Test
    void unknownDatabaseIsRefusedNamingItAndTheSupportedOnes() {
        assertThatThrownBy(() -> SqlDialect.forProduct("Oracle"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Oracle'")
                .hasMessageContaining("PostgreSQL, H2 and MariaDB/MySQL");
    }

    @Test
    void postgresqlUpsertsWithOnConflictSoThatNullsAreTypedByTheirColumns() {
        SqlStatement upsert = POSTGRESQL.upsert("erp_contact", "customer_no", COLUMNS);

        assertThat(upsert.sql()).isEqualTo("INSERT INTO erp_contact (customer_no, email, updated_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (customer_no) DO UPDATE SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at");
        assertThat(upsert.columns()).isEqualTo(COLUMNS);
        assertThat(POSTGRESQL.upsert("erp_contact", "customer_no", List.of("customer_no")).sql())
                .endsWith("ON CONFLICT (customer_no) DO NOTHING");
    }

    @Test
    void h2UpsertsWithStandardMerge() {
        SqlStatement upsert = SqlDialect.forProduct("H2").upsert("erp_contact", "customer_no", COLUMNS);

        assertThat(upsert.sql()).isEqualTo("MERGE INTO erp_contact t USING (VALUES (?, ?, ?)) AS s (customer_no, email, updated_at)"
                + " ON t.customer_no = s.customer_no WHEN MATCHED THEN UPDATE SET email = s.email, updated_at = s.updated_at"
                + " WHEN NOT MATCHED THEN INSERT (customer_no, email, updated_at) VALUES (s.customer_no, s.email, s.updated_at)");
        assertThat(upsert.columns()).isEqualTo(COLUMNS);
    }

    @Test
    void mariadbUpsertsWithOnDuplicateKeyUpdate() {
        SqlStatement upsert = MARIADB.upsert("erp_contact", "customer_no", COLUMNS);

        assertThat(upsert.sql()).isEqualTo("INSERT INTO erp_contact (customer_no, email, updated_at) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE email = VALUES(email), updated_at = VALUES(updated_at)");
        assertThat(upsert.columns()).isEqualTo(COLUMNS);
        assertThat(MARIADB.upsert("erp_contact", "customer_no", List.of("customer_no")).sql())
                .isEqualTo("INSERT INTO erp_contact (customer_no) VALUES (?) ON DUPLICATE KEY UPDATE customer_no = customer_no");
    }

    @Test
    void selectDeleteAndSoftDeleteByKeyAreTheSameEverywhere() {
        for (SqlDialect dialect : List.of(POSTGRESQL, MARIADB)) {
            assertThat(dialect.selectByKey("erp_contact", "customer_no", List.of("email", "updated_at")))
                    .isEqualTo(new SqlStatement("SELECT email, updated_at FROM erp_contact WHERE customer_no = ?", List.of("customer_no")));
            assertThat(dialect.selectByKey("erp_contact", "customer_no", List.of()).sql())
                    .isEqualTo("SELECT * FROM erp_contact WHERE customer_no = ?");
            assertThat(dialect.deleteByKey("erp_contact", "customer_no"))
                    .isEqualTo(new SqlStatement("DELETE FROM erp_contact WHERE customer_no = ?", List.of("customer_no")));
            assertThat(dialect.softDelete("erp_contact", "customer_no", "deleted_at"))
                    .isEqualTo(new SqlStatement("UPDATE erp_contact SET deleted_at = ? WHERE customer_no = ?",
                            List.of("deleted_at", "customer_no")));
        }
    }

    @Test
    void everyIdentifierOfEveryStatementMustBePlain() {
        String evil = "erp_contact; DROP TABLE id_map";
        for (SqlDialect dialect : List.of(POSTGRESQL, MARIADB)) {
            assertThatThrownBy(() -> dialect.upsert(evil, "customer_no", COLUMNS)).hasMessageContaining("not a plain SQL identifier");
            assertThatThrownBy(() -> dialect.upsert("erp_contact", "customer_no", List.of("customer_no", "e\"mail")))
                    .hasMessageContaining("e\"mail");
            assertThatThrownBy(() -> dialect.selectByKey("erp_contact", "customer_no", List.of("email, (SELECT 1)")))
                    .hasMessageContaining("not a plain SQL identifier");
            assertThatThrownBy(() -> dialect.selectByKey(evil, "customer_no", List.of())).hasMessageContaining(evil);
            assertThatThrownBy(() -> dialect.deleteByKey("erp_contact", "1=1 OR customer_no")).hasMessageContaining("1=1");
            assertThatThrownBy(() -> dialect.softDelete("erp_contact", "customer_no", "deleted_at = NOW(), email"))
                    .hasMessageContaining("not a plain SQL identifier");
        }
        assertThatThrownBy(() -> MARIADB.upsert("erp_contact", "customer_no", List.of("email")))
                .hasMessageContaining("no value for key column customer_no");
    }

    @Test
    void timestampsAreBoundAsUtcInstantsOrAsUtcWallTimeWhereNoZoneIsStored() {
        assertThat(POSTGRESQL.bind("2024-03-01T09:30:00Z", CanonicalField.Type.TIMESTAMP))
                .isEqualTo(OffsetDateTime.of(2024, 3, 1, 9, 30, 0, 0, ZoneOffset.UTC));
        assertThat(MARIADB.bind("2024-03-01T09:30:00.250Z", CanonicalField.Type.TIMESTAMP))
                .isEqualTo(LocalDateTime.of(2024, 3, 1, 9, 30, 0, 250_000_000));
        for (SqlDialect dialect : List.of(POSTGRESQL, MARIADB)) {
            assertThat(dialect.bind("1815-12-10", CanonicalField.Type.DATE)).isEqualTo(LocalDate.of(1815, 12, 10));
            assertThat(dialect.bind("ada@example.com", CanonicalField.Type.STRING)).isEqualTo("ada@example.com");
            assertThat(dialect.bind(null, CanonicalField.Type.TIMESTAMP)).isNull();
        }
    }
}
