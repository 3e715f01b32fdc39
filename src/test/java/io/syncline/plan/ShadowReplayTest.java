package io.syncline.plan;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shadow replay (docs/plan.md#shadow-replays) of the Quickstart's CRM contacts: 300 webhooks (5,000 with
 * {@code -Dshadow.test.events=5000})
 * applied into billing, then replayed through a candidate model whose only change upper-cases the
 * city. Exactly the contacts whose city the change alters are reported, each with the field and
 * both values; the store and billing are left as they were; the running model replayed as its own
 * candidate differs nowhere. Fixtures (docs/plan.md#fixtures-in-ci): 200 events captured with the
 * running model's outcomes replay the same through it, also once the store has forgotten the
 * records (as an integrator's CI starts empty), and differ exactly where the candidate does; the
 * commands {@code bin/syncline capture} and {@code replay} exit 0, 2 and 1 as documented.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class ShadowReplayTest {

    /** {@code -Dshadow.test.events=5000} replays 5,000. */
    private static final int EVENTS = Integer.getInteger("shadow.test.events", 300);
    /** Events captured as fixtures. */
    private static final int FIXTURE_EVENTS = 200;
    private static final String RUNNING = "routes/contacts.syncline.yaml";
    private static final String CITY = "{field: city, path: address.city, transforms: [trim]}";

    private static RequestSpecification admin() {
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 300_000)))
                .auth().preemptive().basic("admin", "test-only-password");
    }

    /** What the replay could have written: the rows of the tables a sync writes. */
    private static List<Long> written() {
        return List.of("audit_log", "record_state", "id_map", "processed_key", "demo_contact").stream()
                .map(table -> ((Number) TestDatabase.query("SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue())
                .toList();
    }

    private static String running() {
        try {
            return Files.readString(Path.of(RUNNING));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Instant storeClock() {
        return ((java.sql.Timestamp) TestDatabase.query("SELECT clock_timestamp() AS t").get(0).get("t")).toInstant();
    }

    private static JsonPath replay(String model, Instant from, Instant to) {
        return admin().multiPart("model", "contacts.syncline.yaml", model.getBytes(StandardCharsets.UTF_8), "application/yaml")
                .queryParam("entity", "contact").queryParam("source", "crm")
                .queryParam("from", from.toString()).queryParam("to", to.toString())
                .when().post("/admin/shadow-replays").then().statusCode(200).extract().jsonPath();
    }

    /**
     * {@code count} webhooks of contacts {@code prefix + i}, applied: a tenth in mixed case (upper-cased by the
     * candidate), a tenth without a city, the rest upper case already. Returns the ids the candidate alters.
     */
    private static Set<String> postContacts(String prefix, int count) {
        Set<String> altered = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("id", id);
            contact.put("email", id + "@example.com");
            contact.put("firstName", "Ada");
            contact.put("lastName", "Lovelace");
            String city = i % 10 == 0 ? "London" : i % 10 == 1 ? null : "PARIS";
            if (city != null) {
                contact.put("address", Map.of("city", city));
            }
            if (i % 10 == 0) {
                altered.add(id);
            }
            DemoWebhook.accept(contact);
        }
        DemoWebhook.awaitDrained(prefix);
        return altered;
    }

    private static String candidate() {
        String running = running();
        assertThat(running).contains(CITY);
        return running.replace(CITY, "{field: city, path: address.city, transforms: [trim, uppercase]}");
    }

    @Test
    void exactlyTheEventsTheChangedTransformAltersAreReportedWithBothValues() {
        // the store's clock stamps received_at; reading it here leaves earlier tests' events outside the window
        Instant from = storeClock();
        String prefix = "shadow-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Set<String> altered = postContacts(prefix, EVENTS);
        Instant to = storeClock();
        String running = running();
        List<Long> before = written();

        JsonPath report = replay(candidate(), from, to);

        assertThat(report.getLong("events")).isEqualTo(EVENTS);
        assertThat(report.getBoolean("complete")).isTrue();
        assertThat(report.getInt("exitCode")).isEqualTo(2);
        assertThat(report.getLong("differing.billing")).isEqualTo(altered.size());
        List<Map<String, Object>> differences = report.getList("differences");
        assertThat(differences).hasSize(altered.size()).allSatisfy(difference -> {
            assertThat(difference).containsEntry("target", "billing").containsEntry("field", "city")
                    .containsEntry("running", "London").containsEntry("candidate", "LONDON");
            assertThat(((Number) difference.get("inboxId")).longValue()).isPositive();
        });
        assertThat(differences.stream().map(difference -> (String) difference.get("record")).toList())
                .containsExactlyInAnyOrderElementsOf(altered);
        assertThat(written()).as("audit, record state, ID map, keys and billing's rows").isEqualTo(before);
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id LIKE ? AND city = 'LONDON'",
                prefix + "%").get(0).get("n")).isEqualTo(0L);

        JsonPath same = replay(running, from, to);
        assertThat(same.getLong("events")).isEqualTo(EVENTS);
        assertThat(same.getList("differences")).isEmpty();
        assertThat(same.getInt("exitCode")).isZero();
    }

    /** The fixture file of the window, as {@code GET /admin/shadow-replays/fixtures} answers it. */
    private static String capture(Instant from, Instant to) {
        return admin().queryParam("entity", "contact").queryParam("source", "crm")
                .queryParam("from", from.toString()).queryParam("to", to.toString())
                .when().get("/admin/shadow-replays/fixtures").then().statusCode(200).extract().asString();
    }

    private static io.restassured.response.ValidatableResponse replayFixtures(String fixtures, String model) {
        RequestSpecification request = admin().multiPart("fixtures", "fixtures.json", fixtures.getBytes(StandardCharsets.UTF_8),
                "application/json");
        if (model != null) {
            request = request.multiPart("model", "contacts.syncline.yaml", model.getBytes(StandardCharsets.UTF_8), "application/yaml");
        }
        return request.when().post("/admin/shadow-replays").then();
    }

    @Test
    void capturedFixturesReplayTheSameThroughTheRunningModelEvenOnAnEmptyStoreAndDifferWhereTheCandidateDoes() {
        Instant from = storeClock();
        String prefix = "fixture-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Set<String> altered = postContacts(prefix, FIXTURE_EVENTS);
        Instant to = storeClock();
        List<Long> before = written();

        String fixtures = capture(from, to);

        JsonPath document = JsonPath.from(fixtures);
        assertThat(document.getString("format")).isEqualTo("syncline-fixtures/1");
        assertThat(document.getString("entity")).isEqualTo("contact");
        assertThat(document.getString("source")).isEqualTo("crm");
        assertThat(document.getList("events")).hasSize(FIXTURE_EVENTS);
        assertThat(document.getString("events[0].record")).isEqualTo(prefix + 0);
        assertThat(document.getString("events[0].payload.address.city")).isEqualTo("London");
        assertThat(document.getString("events[0].outcomes.billing.action")).isIn("update", "unchanged");
        assertThat(document.getString("events[0].outcomes.billing.values.city")).isEqualTo("London");
        assertThat(document.getString("events[0].outcomes.billing.values.email")).isEqualTo(prefix + "0@example.com");

        // the running model decides as recorded
        JsonPath same = replayFixtures(fixtures, null).statusCode(200).extract().jsonPath();
        assertThat(same.getString("model")).isEqualTo("running");
        assertThat(same.getLong("events")).isEqualTo(FIXTURE_EVENTS);
        assertThat(same.getList("differences")).isEmpty();
        assertThat(same.getInt("exitCode")).isZero();

        // the candidate differs exactly on the contacts whose city it upper-cases, with the recorded and the new value
        JsonPath changed = replayFixtures(fixtures, candidate()).statusCode(200).extract().jsonPath();
        assertThat(changed.getInt("exitCode")).isEqualTo(2);
        assertThat(changed.getLong("differing.billing")).isEqualTo(altered.size());
        List<Map<String, Object>> differences = changed.getList("differences");
        assertThat(differences).hasSize(altered.size()).allSatisfy(difference -> assertThat(difference)
                .containsEntry("target", "billing").containsEntry("field", "city")
                .containsEntry("recorded", "London").containsEntry("candidate", "LONDON"));
        assertThat(differences.stream().map(difference -> (String) difference.get("record")).toList())
                .containsExactlyInAnyOrderElementsOf(altered);
        assertThat(written()).as("audit, record state, ID map, keys and billing's rows").isEqualTo(before);

        // as in an integrator's CI, whose deployment starts with an empty store: the records are new
        // there (a create where an update or nothing was recorded), and nothing differs for that
        TestDatabase.update("DELETE FROM record_state WHERE entity = 'contact' AND canonical_id IN (SELECT canonical_id FROM id_map"
                + " WHERE entity = 'contact' AND system = 'crm' AND system_id LIKE ?)", prefix + "%");
        TestDatabase.update("DELETE FROM id_map WHERE entity = 'contact' AND canonical_id IN (SELECT canonical_id FROM id_map"
                + " WHERE entity = 'contact' AND system = 'crm' AND system_id LIKE ?)", prefix + "%");
        TestDatabase.update("DELETE FROM demo_contact WHERE external_id LIKE ?", prefix + "%");
        JsonPath fresh = replayFixtures(fixtures, null).statusCode(200).extract().jsonPath();
        assertThat(fresh.getLong("events")).isEqualTo(FIXTURE_EVENTS);
        assertThat(fresh.getList("differences")).isEmpty();
        assertThat(replayFixtures(fixtures, candidate()).statusCode(200).extract().jsonPath().getLong("differing.billing"))
                .isEqualTo(altered.size());
    }

    @Test
    void aMalformedOrOversizedFixtureFileIsRefusedNamingWhatIsWrong() {
        replayFixtures("{\"format\": \"syncline-fixtures/1\", \"entity\": ", null).statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("fixtures_malformed"))
                .body("message", org.hamcrest.Matchers.containsString("not a fixture document"));
        replayFixtures("{\"format\": \"other/2\", \"entity\": \"contact\", \"source\": \"crm\", \"events\": []}", null)
                .statusCode(400).body("message", org.hamcrest.Matchers.containsString("format must be \"syncline-fixtures/1\""));
        replayFixtures("{\"format\": \"syncline-fixtures/1\", \"entity\": \"contact\", \"source\": \"crm\","
                + " \"events\": [{\"record\": \"c-1\", \"payload\": {\"id\": \"c-1\"}, \"outcomes\": {}}, {\"record\": \"c-2\"}]}", null)
                .statusCode(400).body("message", org.hamcrest.Matchers.containsString("events[1] has no payload"));
        replayFixtures("{\"format\": \"syncline-fixtures/1\", \"entity\": \"invoice\", \"source\": \"crm\", \"events\": []}", null)
                .statusCode(400).body("error", org.hamcrest.Matchers.equalTo("unknown_entity"));
        String event = "{\"record\": \"c-1\", \"payload\": {\"id\": \"c-1\"}, \"outcomes\": {}}";
        String many = "{\"format\": \"syncline-fixtures/1\", \"entity\": \"contact\", \"source\": \"crm\", \"events\": ["
                + String.join(",", java.util.Collections.nCopies(ReplayFixtures.MAX_EVENTS + 1, event)) + "]}";
        replayFixtures(many, null).statusCode(413).body("error", org.hamcrest.Matchers.equalTo("too_many_events"))
                .body("message", org.hamcrest.Matchers.containsString("at most " + ReplayFixtures.MAX_EVENTS));
        admin().queryParam("entity", "contact").queryParam("limit", ReplayFixtures.MAX_EVENTS + 1)
                .when().get("/admin/shadow-replays/fixtures").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("limit must be between 1 and " + ReplayFixtures.MAX_EVENTS));
        given().when().get("/admin/shadow-replays/fixtures?entity=contact").then().statusCode(401);
    }

    /** The command's exit status; what it printed on its standard output into {@code out}. */
    private static int command(Path out, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("bin", "syncline").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--url", "http://localhost:" + RestAssured.port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SYNCLINE_ADMIN_PASSWORD", "test-only-password");
        builder.environment().put("SYNCLINE_PLAN_MAX_TIME", "300");
        Process process = builder.start();
        assertThat(process.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)).as("bin/syncline %s ended", arguments[0]).isTrue();
        return process.exitValue();
    }

    @Test
    void theCaptureAndReplayCommandsExitZeroWhenTheSameTwoWhenAnOutcomeDiffersAndOneOnABadFile() throws Exception {
        Instant from = storeClock();
        String prefix = "fixture-cli-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        postContacts(prefix, 20);
        Instant to = storeClock();
        Path folder = Files.createTempDirectory("fixtures-ci");
        Path fixtures = folder.resolve("fixtures.json");
        Path report = folder.resolve("report.json");
        Path model = Files.createDirectory(folder.resolve("model"));
        Files.writeString(model.resolve("contacts.syncline.yaml"), candidate());

        assertThat(command(fixtures, "capture", "--entity", "contact", "--source", "crm", "--from", from.toString(),
                "--to", to.toString())).isZero();
        assertThat(JsonPath.from(fixtures.toFile()).getList("events")).hasSize(20);

        assertThat(command(report, "replay", "--fixtures", fixtures.toString())).isZero();
        assertThat(JsonPath.from(report.toFile()).getList("differences")).isEmpty();
        assertThat(command(report, "replay", model.toString(), "--fixtures", fixtures.toString())).isEqualTo(2);
        assertThat(JsonPath.from(report.toFile()).getLong("differing.billing")).isEqualTo(2);

        Files.writeString(fixtures, "{\"events\": 3}");
        assertThat(command(report, "replay", "--fixtures", fixtures.toString())).isEqualTo(1);
        assertThat(command(report, "replay", "--fixtures", folder.resolve("none.json").toString())).isEqualTo(1);
        assertThat(command(report, "capture", "--entity", "invoice")).isEqualTo(1);
    }

    @Test
    void aReplayNeedsACandidateAndAnEntityAndAnAdmin() {
        given().multiPart("model", "contacts.syncline.yaml", "systems: {}".getBytes(StandardCharsets.UTF_8), "application/yaml")
                .when().post("/admin/shadow-replays?entity=contact").then().statusCode(401);
        admin().multiPart("model", "contacts.syncline.yaml", "systems: {}".getBytes(StandardCharsets.UTF_8), "application/yaml")
                .when().post("/admin/shadow-replays").then().statusCode(400);
        admin().multiPart("model", "contacts.syncline.yaml", "entities: {nope: }".getBytes(StandardCharsets.UTF_8), "application/yaml")
                .when().post("/admin/shadow-replays?entity=contact").then().statusCode(422);
        String unknownTransform = running().replace(CITY, "{field: city, path: address.city, transforms: [shout]}");
        admin().multiPart("model", "contacts.syncline.yaml", unknownTransform.getBytes(StandardCharsets.UTF_8), "application/yaml")
                .when().post("/admin/shadow-replays?entity=contact").then().statusCode(422)
                .body("error", org.hamcrest.Matchers.equalTo("model_invalid"));
    }
}
