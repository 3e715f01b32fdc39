package io.syncline.connector.endpoint;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.SftpServer;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CSV files dropped on an SFTP server (Apache MINA SSHD, started for the class) applied to a
 * PostgreSQL table: a file of {@value #DEFAULT_ROWS} rows (set {@code sftp.test.rows} for more:
 * docs/benchmarks.md has 100,000) applied once, every row in the table once; the same file dropped
 * again under another name applies nothing; a file with three malformed rows leaves three dead
 * letters naming the file and their lines, and its other rows are applied.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class SftpFilesTest {

    private static final int DEFAULT_ROWS = 5_000;
    private static final int ROWS = Integer.getInteger("sftp.test.rows", DEFAULT_ROWS);

    /** The server of {@link CamelEndpointResource}. */
    SftpServer sftp;

    @Test
    void aLargeFileIsAppliedOnceAndTheSameFileAgainAppliesNothing() throws Exception {
        byte[] file = customers("C", ROWS);
        long dropped = System.nanoTime();
        sftp.drop("customers", "customers-1.csv", file);

        Awaitility.await("the " + ROWS + " rows applied").atMost(Duration.ofSeconds(60 + ROWS / 200)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT count(*) AS n FROM sftp_customer WHERE number LIKE 'C-%'") == ROWS);
        double seconds = (System.nanoTime() - dropped) / 1e9;
        System.out.printf("SFTP file of %,d rows applied in %.1f s: %,.0f rows/s%n", ROWS, seconds, ROWS / seconds);
        assertThat(count("SELECT count(*) AS n FROM inbox WHERE source_system = 'partner-sftp' AND record_key LIKE 'C-%'"))
                .isEqualTo(ROWS);
        assertThat(TestDatabase.queryOn(CamelEndpointResource.DATABASE_URL,
                "SELECT name, email FROM sftp_customer WHERE number = 'C-" + ROWS + "'"))
                .containsExactly(Map.of("name", "Customer " + ROWS, "email", "c" + ROWS + "@example.com"));
        Awaitility.await("the file moved aside").atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(sftp.root().resolve("customers/done/customers-1.csv")));

        sftp.drop("customers", "customers-1-again.csv", file);
        Awaitility.await("the second drop read and moved").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(sftp.root().resolve("customers/done/customers-1-again.csv")));
        Throughout.holds(Awaitility.await().pollInterval(Duration.ofMillis(500)), "nothing more stored or applied",
                Duration.ofSeconds(2), () -> {
                    assertThat(count("SELECT count(*) AS n FROM inbox WHERE source_system = 'partner-sftp'"
                            + " AND record_key LIKE 'C-%'")).isEqualTo(ROWS);
                    assertThat(count("SELECT count(*) AS n FROM sftp_customer WHERE number LIKE 'C-%'")).isEqualTo(ROWS);
                });
    }

    @Test
    void malformedRowsAreDeadLettersNamingTheirLinesAndTheRestIsApplied() {
        StringBuilder csv = new StringBuilder("number,name,email\n");
        for (int i = 1; i <= 20; i++) {
            if (i == 4 || i == 11) {
                csv.append("M-").append(i).append(",one too many,m").append(i).append("@example.com,extra\n");
            } else if (i == 17) {
                csv.append("M-").append(i).append("\n");
            } else {
                csv.append("M-").append(i).append(",Mixed ").append(i).append(",m").append(i).append("@example.com\n");
            }
        }
        sftp.drop("customers", "mixed.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

        Awaitility.await("the 17 good rows applied").atMost(Duration.ofSeconds(60))
                .until(() -> count("SELECT count(*) AS n FROM sftp_customer WHERE number LIKE 'M-%'") == 17);
        List<Map<String, Object>> letters = TestDatabase.awaitRowsOn(CamelEndpointResource.DATABASE_URL,
                "SELECT reason FROM dead_letter WHERE source_system = 'partner-sftp' ORDER BY id");
        assertThat(letters).extracting(row -> row.get("reason").toString()).hasSize(3).allMatch(reason -> reason.contains("mixed.csv"))
                .anyMatch(reason -> reason.contains("line 5")).anyMatch(reason -> reason.contains("line 12"))
                .anyMatch(reason -> reason.contains("line 18"));
        assertThat(count("SELECT count(*) AS n FROM sftp_customer WHERE number IN ('M-4', 'M-11', 'M-17')")).isZero();
    }

    private static byte[] customers(String prefix, int rows) {
        StringBuilder csv = new StringBuilder(rows * 48).append("number,name,email\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(prefix).append('-').append(i).append(",Customer ").append(i).append(',').append(prefix.toLowerCase())
                    .append(i).append("@example.com\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long count(String sql) {
        return ((Number) TestDatabase.queryOn(CamelEndpointResource.DATABASE_URL, sql).get(0).get("n")).longValue();
    }
}
