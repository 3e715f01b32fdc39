package io.syncline.connector.endpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.SftpServer;
import io.syncline.testsupport.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Camel-endpoint systems that export a file per run: suppliers dropped as CSV files in a folder are
 * applied to the store's {@code supplier} table and kept for the exports. {@code supplier-export}
 * writes a snapshot per run (every live supplier, its last values) on the SFTP server when the admin
 * API asks, written aside and renamed, and a reconciliation reads its newest file whole;
 * {@code supplier-changes} writes the changes of each second, deletions marked, as JSON files in a
 * folder. A run the server refused is done again with the same records under the same name.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class ExportFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "code,name,city";

    /** The server of {@link CamelEndpointResource}. */
    SftpServer sftp;

    @Test
    void eachRunWritesOneSnapshotFileThatAReconciliationReadsWhole() {
        drop("suppliers-1.csv", "code,name,city,deleted\na-1,Acme,Oslo,\na-2,Bolt,Rome,\na-3,Cog,Lima,\n");
        awaitStore("SELECT code FROM supplier WHERE code LIKE 'a-%'", List.of("a-1", "a-2", "a-3"));

        Map<String, Object> first = runExport();
        assertThat(first.get("written")).isEqualTo(true);
        String firstFile = (String) first.get("fileName");
        assertThat(firstFile).matches("suppliers-\\d{8}T\\d{6}Z-\\d+\\.csv");
        assertThat(exported(firstFile)).startsWith(HEADER).contains("a-1,Acme,Oslo", "a-2,Bolt,Rome", "a-3,Cog,Lima");
        assertThat(hiddenFiles()).isEmpty();

        // an update, a deletion and a new supplier: the next snapshot holds each live one once, as it is now
        drop("suppliers-2.csv", "code,name,city,deleted\na-2,Bolt,Turin,\na-3,,,true\na-4,Dent,Kiev,\n");
        awaitStore("SELECT code || ' ' || city AS c FROM supplier WHERE code LIKE 'a-%'",
                List.of("a-1 Oslo", "a-2 Turin", "a-4 Kiev"));
        Map<String, Object> second = runExport();
        String secondFile = (String) second.get("fileName");
        assertThat(secondFile).isNotEqualTo(firstFile);
        assertThat((Integer) second.get("run")).isEqualTo((Integer) first.get("run") + 1);
        List<String> rows = lines(exported(secondFile)).stream().filter(line -> line.startsWith("a-")).toList();
        assertThat(rows).containsExactly("a-1,Acme,Oslo", "a-2,Bolt,Turin", "a-4,Dent,Kiev");
        assertThat(exported(firstFile)).contains("a-3,Cog,Lima"); // a run's file is left as it was written

        // the newest snapshot, read whole, against the table: equal, then a planted difference found
        int equal = reconcile(0, 0);
        assertThat(equal).isGreaterThan(0);
        TestDatabase.updateOn(CamelEndpointResource.DATABASE_URL, "UPDATE supplier SET city = 'Bergen' WHERE code = 'a-1'");
        try {
            reconcile(0, 1);
        } finally {
            TestDatabase.updateOn(CamelEndpointResource.DATABASE_URL, "UPDATE supplier SET city = 'Oslo' WHERE code = 'a-1'");
        }
    }

    @Test
    void aRunTheServerRefusedIsDoneAgainWithTheSameRecordsUnderTheSameName() throws IOException {
        Path exports = sftp.root().resolve("exports");
        drop("suppliers-3.csv", "code,name,city,deleted\nb-1,Brass,Oslo,\n");
        awaitStore("SELECT code FROM supplier WHERE code = 'b-1'", List.of("b-1"));
        runExport(); // whatever was kept before is written now

        drop("suppliers-4.csv", "code,name,city,deleted\nb-2,Bronze,Pisa,\n");
        awaitStore("SELECT code FROM supplier WHERE code = 'b-2'", List.of("b-2"));
        // the folder is a file now: the server refuses every file written there
        RouteFoldersOnDisk.replaceWithFile(exports);
        admin().when().post("/admin/exports/supplier-export/runs")
                .then().statusCode(502).body("error", equalTo("export_failed"));
        Map<String, Object> refused = lastRun();
        assertThat(refused.get("finishedAt")).isNull();

        // kept after the refused run began: not in its file, in the next one's
        drop("suppliers-5.csv", "code,name,city,deleted\nb-3,Copper,Bari,\n");
        awaitStore("SELECT code FROM supplier WHERE code = 'b-3'", List.of("b-3"));
        RouteFoldersOnDisk.replaceWithFolder(exports);

        Map<String, Object> redone = runExport();
        assertThat(redone.get("run")).isEqualTo(refused.get("run"));
        assertThat(redone.get("fileName")).isEqualTo(refused.get("fileName"));
        assertThat(exported((String) redone.get("fileName"))).contains("b-1,Brass,Oslo", "b-2,Bronze,Pisa")
                .doesNotContain("b-3");
        Map<String, Object> next = runExport();
        assertThat((Integer) next.get("run")).isEqualTo((Integer) refused.get("run") + 1);
        assertThat(exported((String) next.get("fileName"))).contains("b-1,Brass,Oslo", "b-2,Bronze,Pisa", "b-3,Copper,Bari");
        assertThat(hiddenFiles()).isEmpty();
    }

    @Test
    void theChangesOfEachRunAreAFileOfTheirOwnWithDeletionsMarked() {
        drop("suppliers-6.csv", "code,name,city,deleted\nc-1,Cask,Oslo,\nc-2,Dowel,Rome,\n");
        awaitStore("SELECT code FROM supplier WHERE code LIKE 'c-%'", List.of("c-1", "c-2"));
        Awaitility.await("both suppliers in a file of changes, on the schedule").atMost(Duration.ofSeconds(30))
                .until(() -> changed("c-1").contains(Map.of("code", "c-1", "name", "Cask", "city", "Oslo", "deleted", false))
                        && changed("c-2").contains(Map.of("code", "c-2", "name", "Dowel", "city", "Rome", "deleted", false)));

        drop("suppliers-7.csv", "code,name,city,deleted\nc-2,,,true\n");
        Awaitility.await("the deletion in a later file").atMost(Duration.ofSeconds(30))
                .until(() -> changed("c-2").contains(Map.of("code", "c-2", "deleted", true)));
        // a run with no change writes no file: every file holds a record
        assertThat(changeFiles()).allSatisfy(file -> assertThat(records(file)).isNotEmpty());
    }

    private void drop(String name, String csv) {
        try {
            Path aside = Files.createDirectories(CamelEndpointResource.FILES.resolve("incoming")).resolve(name);
            Files.writeString(aside, csv);
            Files.createDirectories(CamelEndpointResource.FOLDER_SUPPLIERS);
            Files.move(aside, CamelEndpointResource.FOLDER_SUPPLIERS.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitStore(String query, List<String> expected) {
        Awaitility.await(query).atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                TestDatabase.queryOn(CamelEndpointResource.DATABASE_URL, query + " ORDER BY 1").stream()
                        .map(row -> String.valueOf(row.values().iterator().next())).toList())
                .isEqualTo(expected));
    }

    /** Runs the SFTP export through the admin API; the supplier entity's part of the answer. */
    private static Map<String, Object> runExport() {
        List<Map<String, Object>> entities = admin().when().post("/admin/exports/supplier-export/runs")
                .then().statusCode(200).body("system", equalTo("supplier-export")).extract().path("entities");
        assertThat(entities).hasSize(1);
        return entities.get(0);
    }

    private static Map<String, Object> lastRun() {
        List<Map<String, Object>> runs = admin().when().get("/admin/exports/supplier-export/runs")
                .then().statusCode(200).extract().path("entities.supplier");
        return runs.get(0);
    }

    /** Runs the reconciliation of the table with the newest snapshot; its count of equal suppliers. */
    private static int reconcile(int onlyInA, int mismatched) {
        return admin().when().post("/admin/reconciliations/suppliers-export/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("sideB.reachedEnd", equalTo(true))
                .body("counts.onlyInA", equalTo(onlyInA))
                .body("counts.onlyInB", equalTo(0))
                .body("counts.mismatched", equalTo(mismatched))
                .extract().path("counts.equal");
    }

    private String exported(String name) {
        try {
            return Files.readString(sftp.root().resolve("exports").resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> hiddenFiles() {
        try (Stream<Path> files = Files.list(sftp.root().resolve("exports"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\\R"));
    }

    /** Every record of the changes' files that names {@code code}, in the files' order. */
    private static List<Map<String, Object>> changed(String code) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Path file : changeFiles()) {
            records(file).stream().filter(record -> code.equals(record.get("code"))).forEach(found::add);
        }
        return found;
    }

    private static List<Path> changeFiles() {
        if (!Files.isDirectory(CamelEndpointResource.FOLDER_CHANGES)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(CamelEndpointResource.FOLDER_CHANGES)) {
            return files.filter(file -> !file.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> records(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /** Makes the export's folder on the SFTP server a file, which no file can be written in, and a folder again. */
    private static final class RouteFoldersOnDisk {

        static void replaceWithFile(Path folder) throws IOException {
            if (Files.isDirectory(folder)) {
                Files.move(folder, kept(folder));
            }
            Files.writeString(folder, "not a folder");
        }

        static void replaceWithFolder(Path folder) throws IOException {
            Files.delete(folder);
            if (Files.isDirectory(kept(folder))) {
                Files.move(kept(folder), folder);
            } else {
                Files.createDirectories(folder);
            }
        }

        private static Path kept(Path folder) {
            return folder.resolveSibling(folder.getFileName() + "-kept");
        }
    }
}
