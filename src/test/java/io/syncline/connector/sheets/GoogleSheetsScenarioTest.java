package io.syncline.connector.sheets;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.GoogleSheetsStub;
import io.syncline.testsupport.GoogleSheetsStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Google Sheet rows <-> a PostgreSQL table (src/test/resources/google-sheets-routes): a tab of
 * contacts and a CRM's table, each polled every second. Rows added, edited and deleted in the
 * sheet reach the table; a row inserted and updated in the table reaches the sheet, once, without
 * coming back as a change of the sheet's.
 */
@QuarkusTest
@WithTestResource(GoogleSheetsStubResource.class)
class GoogleSheetsScenarioTest {

    private static final String DATABASE = GoogleSheetsStubResource.DATABASE_URL;
    private static final String TAB = "Contacts";

    GoogleSheetsStub sheets;

    private static List<Map<String, Object>> crm(String id) {
        return TestDatabase.queryOn(DATABASE, "SELECT email, name, deleted_at IS NOT NULL AS deleted FROM sheet_crm_contact"
                + " WHERE id = ?", id);
    }

    /** Until every event in the inbox has been applied or dropped, and no poll has found more for a while. */
    private static void settled() {
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(30)).until(() -> (Long) TestDatabase.queryOn(DATABASE,
                "SELECT count(*) AS n FROM inbox WHERE status IN ('pending', 'processing')").get(0).get("n") == 0);
    }

    private static void execute(String sql) {
        try (java.sql.Connection connection = TestDatabase.connect(DATABASE); java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<List<Object>> rowsOf(String id) {
        return sheets.sheet(TAB).stream().filter(row -> !row.isEmpty() && id.equals(row.get(0))).toList();
    }

    @Test
    void rowsEditedInTheSheetReachTheTable() {
        sheets.addRow(TAB, List.of("r-1", " Ada@Example.COM ", "Ada Lovelace"));
        sheets.addRow(TAB, List.of("r-2", "grace@example.com", "Grace Hopper"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(crm("r-1")).containsExactly(Map.of("email", "ada@example.com", "name", "Ada Lovelace", "deleted", false));
            assertThat(crm("r-2")).containsExactly(Map.of("email", "grace@example.com", "name", "Grace Hopper", "deleted", false));
        });

        // the table's poll reads the rows Syncline wrote there and drops them as its own echo; then a person edits
        settled();
        int row = sheets.sheet(TAB).indexOf(rowsOf("r-1").get(0)) + 1;
        sheets.edit(TAB, "C" + row, "Ada King");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(crm("r-1")).containsExactly(Map.of("email", "ada@example.com", "name", "Ada King", "deleted", false)));

        sheets.deleteRow(TAB, sheets.sheet(TAB).indexOf(rowsOf("r-2").get(0)) + 1);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(crm("r-2")).containsExactly(Map.of("email", "grace@example.com", "name", "Grace Hopper", "deleted", true)));
        // the sheet's own rows are not written back to it
        assertThat(rowsOf("r-1")).containsExactly(List.of("r-1", " Ada@Example.COM ", "Ada King"));
    }

    @Test
    void rowsInsertedAndUpdatedInTheTableReachTheSheet() {
        execute("INSERT INTO sheet_crm_contact (id, email, name, updated_at) VALUES ('p-1',"
                + " 'linus@example.com', 'Linus Torvalds', now())");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rowsOf("p-1")).containsExactly(List.of("p-1", "linus@example.com", "Linus Torvalds")));

        execute("UPDATE sheet_crm_contact SET name = 'Linus B. Torvalds', updated_at = now() WHERE id = 'p-1'");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rowsOf("p-1")).containsExactly(List.of("p-1", "linus@example.com", "Linus B. Torvalds")));

        // the poll of the sheet then sees the row Syncline wrote, and it changes nothing in the table: an echo
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(rowsOf("p-1")).hasSize(1);
            assertThat(crm("p-1")).containsExactly(Map.of("email", "linus@example.com", "name", "Linus B. Torvalds", "deleted", false));
        });
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT count(*) AS n FROM audit_log WHERE target_system = 'crm'"
                + " AND target_id = 'p-1' AND action IN ('created', 'updated')")).containsExactly(Map.of("n", 0L));
    }

    @Test
    void manyRowsUpdatedInTheTableAreWrittenToTheSheetTogether() {
        execute("INSERT INTO sheet_crm_contact (id, email, name, updated_at) SELECT 'b-' || n, 'b' || n || '@example.com',"
                + " 'Batch ' || n, now() FROM generate_series(1, 20) AS n");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sheets.sheet(TAB))
                .filteredOn(row -> !row.isEmpty() && row.get(0).toString().startsWith("b-")).hasSize(20));
        int before = sheets.requests().size();

        execute("UPDATE sheet_crm_contact SET name = 'Renamed ' || id, updated_at = now() WHERE id LIKE 'b-%'");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sheets.sheet(TAB))
                .filteredOn(row -> !row.isEmpty() && row.get(0).toString().startsWith("b-"))
                .allSatisfy(row -> assertThat(row.get(2)).isEqualTo("Renamed " + row.get(0))).hasSize(20));

        List<GoogleSheetsStub.Request> calls = sheets.requests().subList(before, sheets.requests().size());
        List<GoogleSheetsStub.Request> batches = calls.stream().filter(call -> call.path().endsWith("values:batchUpdate")).toList();
        assertThat(batches).isNotEmpty().allSatisfy(call -> assertThat(
                GoogleSheetsConnectorTest.CONTRACT.violations(call.method(), call.rawPath(), call.query(), call.body())).isEmpty());
        // fewer calls than rows: the inbox's batches of updates went to the sheet in one call each
        long rowWrites = calls.stream().filter(call -> call.method().equals("PUT")).count();
        assertThat(batches.size() + rowWrites).isLessThan(20);
    }
}
