package io.syncline.connector.jdbc;

import io.syncline.connector.spi.SystemCheck;
import io.syncline.model.ModelFile;
import io.syncline.model.ModelReader;
import io.syncline.model.SyncModel;
import io.syncline.testsupport.MariaDbTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A JDBC system's check before its first event on a real MariaDB, without the application: the
 * metadata of a database whose tables are in its catalog. A wrong password, a missing table, a
 * missing column and a key column without a unique index are each a failed step with its fix; with
 * the fixes run as named, every step passes.
 */
class JdbcSystemCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final SyncModel MODEL = new ModelReader().read(List.of(new ModelFile("file:erp.syncline.yaml", """
            systems:
              crm: {type: rest, baseUrl: https://crm.example.com}
              erp: {type: jdbc, datasource: erp}
            entities:
              contact:
                key: id
                master: crm
                fields: {id: {type: string}, email: {type: string}, tier: {type: string}}
                mappings:
                  crm:
                    key: id
                    fields: [{field: id, path: id}, {field: email, path: email}, {field: tier, path: tier}]
                  erp:
                    key: ext_id
                    table: check_contact
                    fields: [{field: id, path: ext_id}, {field: email, path: email}, {field: tier, path: tier}]
              account:
                key: id
                master: crm
                fields: {id: {type: string}}
                mappings:
                  crm: {key: id, fields: [{field: id, path: id}]}
                  erp:
                    key: ext_id
                    table: check_account
                    fields: [{field: id, path: ext_id}]
            """.getBytes(StandardCharsets.UTF_8)))).model();

    @BeforeAll
    static void tables() {
        MariaDbTestDatabase.ensure();
        MariaDbTestDatabase.execute("DROP TABLE IF EXISTS check_contact", "DROP TABLE IF EXISTS check_account",
                "CREATE TABLE check_contact (ext_id VARCHAR(64) NOT NULL, email VARCHAR(320))");
    }

    private static List<SystemCheck> check(String password) {
        return new JdbcSystemCheck(system -> DriverManager.getConnection(MariaDbTestDatabase.url(), MariaDbTestDatabase.user(),
                password)).check("erp", MODEL, TIMEOUT);
    }

    @Test
    void eachProblemIsNamedWithItsFixUntilFixed() {
        assertThat(check(MariaDbTestDatabase.password() + "-wrong")).singleElement()
                .satisfies(failed -> {
                    assertThat(failed.check()).isEqualTo("credentials");
                    assertThat(failed.outcome()).isEqualTo(SystemCheck.Outcome.FAILED);
                    assertThat(failed.detail()).contains("Access denied");
                    assertThat(failed.fix()).contains("url, username and password");
                });

        assertThat(check(MariaDbTestDatabase.password())).extracting(SystemCheck::check, SystemCheck::outcome, SystemCheck::fix)
                .containsExactly(
                        tuple("credentials", SystemCheck.Outcome.PASSED, null),
                        tuple("table check_account", SystemCheck.Outcome.FAILED,
                                "CREATE TABLE check_account (…) with the columns the mapping names, or correct the mapping's table"),
                        tuple("table check_contact", SystemCheck.Outcome.FAILED,
                                "ALTER TABLE check_contact ADD COLUMN tier <type>, or correct the mapping's path"),
                        tuple("key check_contact.ext_id", SystemCheck.Outcome.FAILED,
                                "CREATE UNIQUE INDEX check_contact_ext_id_key ON check_contact (ext_id)"));

        MariaDbTestDatabase.execute("CREATE TABLE check_account (ext_id VARCHAR(64) PRIMARY KEY)",
                "ALTER TABLE check_contact ADD COLUMN tier VARCHAR(20)",
                "CREATE UNIQUE INDEX check_contact_ext_id_key ON check_contact (ext_id)");
        assertThat(check(MariaDbTestDatabase.password())).extracting(SystemCheck::check, SystemCheck::outcome, SystemCheck::detail)
                .containsExactly(
                        tuple("credentials", SystemCheck.Outcome.PASSED, check(MariaDbTestDatabase.password()).get(0).detail()),
                        tuple("table check_account", SystemCheck.Outcome.PASSED, "has the columns the mappings name: ext_id"),
                        tuple("key check_account.ext_id", SystemCheck.Outcome.PASSED, "the key column has its primary key PRIMARY"),
                        tuple("table check_contact", SystemCheck.Outcome.PASSED, "has the columns the mappings name: email, ext_id, tier"),
                        tuple("key check_contact.ext_id", SystemCheck.Outcome.PASSED,
                                "the key column has its unique index check_contact_ext_id_key"));
    }
}
