package io.syncline.connector.sheets;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.testsupport.DiscoveryContract;
import io.syncline.testsupport.GoogleSheetsStub;
import io.syncline.testsupport.GoogleSheetsStubResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

/**
 * The {@code google-sheets} type against a stub of the Sheets API v4 and Google's token endpoint
 * ({@link GoogleSheetsStub}): the rows of a tab whose table starts at B3 ({@code 'Open leads'!B3:E})
 * written (append, update of the mapped cells only, clear), fetched and pulled, every request
 * checked against Google's discovery document of the API ({@link DiscoveryContract}); a revoked
 * access token replaced by a new JWT grant; a 429 RESOURCE_EXHAUSTED retried later as its
 * Retry-After says; a refusal in Google's error body a dead letter's reason, and readiness telling.
 */
@QuarkusTest
@WithTestResource(GoogleSheetsStubResource.class)
class GoogleSheetsConnectorTest {

    static final DiscoveryContract CONTRACT = DiscoveryContract.load("google-sheets-v4-discovery.json");
    private static final String TAB = "Open leads";

    GoogleSheetsStub sheets;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    @AfterEach
    void healthy() {
        sheets.forbidden = false;
        sheets.exhaustNext.set(0);
        sheets.retryAfterSeconds = null;
    }

    private GoogleSheetsSystemType type() {
        return (GoogleSheetsSystemType) types.of("sheet");
    }

    private static Map<String, Object> lead(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    /**
     * The check before the first event reads each mapping's header row alone: a column the mapping
     * names renamed in the sheet, and the spreadsheet no longer shared with the service account, are
     * each named with their fix; as set up, every sheet passes.
     */
    @Test
    void theCheckReadsEachHeaderRowAndNamesWhatIsMissing() {
        java.util.function.Function<String, io.syncline.connector.spi.SystemCheck> step = name -> type()
                .check("sheet", registry.current().model(), Duration.ofSeconds(20)).stream()
                .filter(each -> each.check().equals(name)).findFirst().orElseThrow();
        assertThat(step.apply("credentials").detail()).isEqualTo("the service account reads the spreadsheet");
        assertThat(step.apply("sheet Contacts").detail()).isEqualTo("row 1 names the columns the mapping names: id, email, name");
        assertThat(step.apply("sheet 'Open leads'!B3:E").detail())
                .isEqualTo("row 3 names the columns the mapping names: lead_no, company, seats");

        sheets.edit(TAB, "C3", "firm");
        try {
            io.syncline.connector.spi.SystemCheck renamed = step.apply("sheet 'Open leads'!B3:E");
            assertThat(renamed.failed()).isTrue();
            assertThat(renamed.detail()).isEqualTo("row 3 has no column company");
            assertThat(renamed.fix()).isEqualTo("add the column name company to row 3 of 'Open leads', or correct the mapping's paths");
        } finally {
            sheets.edit(TAB, "C3", "company");
        }

        sheets.forbidden = true;
        io.syncline.connector.spi.SystemCheck refused = step.apply("credentials");
        assertThat(refused.failed()).isTrue();
        assertThat(refused.fix()).startsWith("share the spreadsheet with the service account (its client_email) as an editor");
    }

    @Test
    void rowsAreWrittenReadAndClearedWithinGooglesContract() throws Exception {
        GoogleSheetsSystemType type = type();
        int before = sheets.requests().size();

        assertThat(type.create("lead", "sheet", lead("lead_no", "L-1", "company", "Acme", "seats", 12))).isEqualTo("L-1");
        String generated = type.create("lead", "sheet", lead("company", "Globex", "seats", 3));
        assertThat(generated).isNotBlank();
        assertThat(sheets.sheet(TAB)).containsExactly(List.of("", "Leads to call"), List.of(),
                List.of("", "lead_no", "company", "seats", "notes"), List.of("", "L-1", "Acme", 12), List.of("", generated, "Globex", 3));

        // someone notes something beside the mapped columns; an update writes only the cells it maps
        sheets.edit(TAB, "E4", "call Monday");
        type.update("lead", "sheet", "L-1", lead("company", "Acme Ltd"));
        assertThat(sheets.sheet(TAB).get(3)).containsExactly("", "L-1", "Acme Ltd", 12, "call Monday");
        assertThat(type.fetch("lead", "sheet", "L-1")).contains(lead("lead_no", "L-1", "company", "Acme Ltd", "seats", 12L,
                "notes", "call Monday"));

        List<Map<String, Object>> pulled = new ArrayList<>();
        PullResult result = type.puller().pull(new PullRequest("lead", "sheet", registry.current().model().systems().get("sheet"),
                registry.current().model().entities().get("lead").mappings().get("sheet"), 1), pulled::addAll);
        assertThat(result.reachedEnd()).isTrue();
        assertThat(result.pages()).isEqualTo(2);
        assertThat(pulled).extracting(row -> row.get("lead_no")).containsExactly("L-1", generated);

        // a delete empties the row, which stays: the rows below keep their numbers
        assertThat(type.delete("lead", "sheet", "L-1")).isTrue();
        assertThat(sheets.sheet(TAB).get(3)).isEmpty();
        assertThat(sheets.sheet(TAB).get(4)).containsExactly("", generated, "Globex", 3);
        assertThat(type.fetch("lead", "sheet", "L-1")).isEmpty();
        assertThat(type.delete("lead", "sheet", "L-1")).isFalse();

        List<GoogleSheetsStub.Request> calls = sheets.requests().subList(before, sheets.requests().size()).stream()
                .filter(request -> request.path().contains("Open leads")).toList();
        Set<String> methods = new TreeSet<>();
        for (GoogleSheetsStub.Request call : calls) {
            assertThat(CONTRACT.violations(call.method(), call.rawPath(), call.query(), call.body()))
                    .as(call.method() + " " + call.path() + "?" + call.query() + " " + call.body()).isEmpty();
            methods.add(CONTRACT.methodOf(call.method(), call.rawPath()));
        }
        assertThat(methods).containsExactly("sheets.spreadsheets.values.append", "sheets.spreadsheets.values.clear",
                "sheets.spreadsheets.values.get", "sheets.spreadsheets.values.update");
        assertThat(calls).filteredOn(call -> call.method().equals("PUT")).singleElement().satisfies(call -> {
            assertThat(call.path()).isEqualTo("/v4/spreadsheets/" + GoogleSheetsStub.SPREADSHEET + "/values/'Open leads'!B4:E4");
            assertThat(call.query()).contains("valueInputOption=RAW");
            // the key and the unmapped cells are null: Sheets leaves them as they are
            assertThat(call.body()).contains("\"values\":[[null,\"Acme Ltd\",null,null]]");
        });
    }

    @Test
    void aRevokedTokenIsReplacedByANewGrantSignedWithTheServiceAccountsKey() throws Exception {
        GoogleSheetsSystemType type = type();
        type.fetch("lead", "sheet", "none");
        int issued = sheets.tokensIssued();
        int before = sheets.requests().size();
        sheets.revokeTokens();

        assertThat(type.fetch("lead", "sheet", "none")).isEmpty();

        assertThat(sheets.tokensIssued()).isEqualTo(issued + 1);
        // the poll of the other tab runs meanwhile and may be the one that asks for the new token: one grant for both
        List<GoogleSheetsStub.Request> calls = sheets.requests().subList(before, sheets.requests().size());
        assertThat(calls).filteredOn(request -> request.path().contains("Open leads"))
                .extracting(GoogleSheetsStub.Request::status).containsExactly(401, 200);
        GoogleSheetsStub.Request grant = calls.stream().filter(request -> request.path().equals("/token")).findFirst().orElseThrow();
        assertThat(grant.status()).isEqualTo(200);
        // the grant is a JWT bearer assertion signed with the key (the stub checks it with the public key), never the key
        assertThat(grant.body()).startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=")
                .doesNotContain("PRIVATE");
    }

    @Test
    void aQuotaAnswerIsRetriedLaterAndARefusalIsTold() {
        GoogleSheetsSystemType type = type();
        type.create("lead", "sheet", lead("lead_no", "L-9", "company", "Initech"));

        sheets.retryAfterSeconds = 7;
        sheets.exhaustNext.set(1);
        assertThatThrownBy(() -> type.update("lead", "sheet", "L-9", lead("seats", 4)))
                .isInstanceOfSatisfying(TargetUnavailableException.class, unavailable -> {
                    assertThat(unavailable.status()).contains(429);
                    assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(unavailable.getMessage()).contains("RESOURCE_EXHAUSTED");
                });
        type.update("lead", "sheet", "L-9", lead("seats", 4));
        assertThat(type.fetch("lead", "sheet", "L-9")).get().satisfies(row -> assertThat(row.get("seats")).isEqualTo(4L));

        // the spreadsheet no longer shared with the service account: no retry helps, and readiness says why
        sheets.forbidden = true;
        assertThatThrownBy(() -> type.update("lead", "sheet", "L-9", lead("seats", 5)))
                .isInstanceOfSatisfying(TargetRejectedException.class, rejected -> {
                    assertThat(rejected.status()).isEqualTo(403);
                    assertThat(rejected.providerMessage()).isEqualTo("The caller does not have permission (PERMISSION_DENIED)");
                });
        given().get("/q/health/ready").then().body("checks.find { it.name == 'syncline-google-sheets' }.data.'system.sheet.connection'",
                org.hamcrest.Matchers.startsWith("the service account was refused (HTTP 403)"));
        sheets.forbidden = false;
        type.fetch("lead", "sheet", "L-9");
        given().get("/q/health/ready").then().body("checks.find { it.name == 'syncline-google-sheets' }.data.'system.sheet.connection'",
                equalTo("connected"));

        // a column the sheet does not have is refused before anything is written
        assertThatThrownBy(() -> type.update("lead", "sheet", "L-9", lead("region", "EMEA")))
                .isInstanceOf(TargetRejectedException.class).hasMessageContaining("has no column region in its header row 3");
        assertThat(sheets.sheet(TAB)).noneMatch(row -> row.contains("EMEA"));
    }
}
