package io.syncline.connector.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.IntuitOAuthStub;
import io.syncline.testsupport.IntuitOAuthStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * A QuickBooks-style system reached with the OAuth 2.0 authorization-code grant, in the running
 * application: before consent its events wait and readiness says consent is needed; the operator's
 * consent through the admin API (authorize, the provider's redirect, the callback) connects it, and
 * the waiting contact is written with the stored access token and the system's extra header.
 */
@QuarkusTest
@WithTestResource(IntuitOAuthStubResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickBooksConsentTest {

    private static final String ADMIN_PASSWORD = "test-only-password";

    IntuitOAuthStub intuit;

    @Test
    @Order(1)
    void aContactWaitsForConsentAndIsWrittenOnceTheOperatorGivesIt() throws Exception {
        given().when().get("/admin/systems/quickbooks/oauth").then().statusCode(401);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-oauth-grants' }.data.'system.quickbooks'",
                        equalTo("consent needed: no refresh token yet")));

        given().contentType(ContentType.JSON).body(Map.of("id", "c-1", "email", "Ada@Example.com", "name", "Ada"))
                .when().post("/webhooks/crm/contacts").then().statusCode(202);
        // the event waits: nothing reaches QuickBooks, nothing is dead
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> intuit.apiAccepted.isEmpty());
        assertThat(TestDatabase.queryOn(IntuitOAuthStubResource.DATABASE_URL, "SELECT count(*) AS n FROM dead_letter"))
                .singleElement().satisfies(row -> assertThat(row.get("n")).isEqualTo(0L));

        String consent = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).redirects().follow(false)
                .when().get("/admin/systems/quickbooks/oauth/authorize")
                .then().statusCode(303).header("Location", startsWith(intuit.authorizationUrl() + "?response_type=code"))
                .extract().header("Location");
        HttpResponse<Void> agreed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(consent)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(agreed.statusCode()).isEqualTo(302);
        URI callback = URI.create(agreed.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPath()).isEqualTo("/admin/systems/quickbooks/oauth/callback");
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .when().get(callback.getPath() + "?" + callback.getRawQuery())
                .then().statusCode(200).body("connected", equalTo(true));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(intuit.apiAccepted)
                .contains("POST /v3/company/" + IntuitOAuthStub.REALM_ID + "/customer X-Realm=" + IntuitOAuthStub.REALM_ID));
        assertThat(TestDatabase.queryOn(IntuitOAuthStubResource.DATABASE_URL,
                "SELECT consent_needed, refresh_token FROM oauth_grant WHERE system_name = 'quickbooks'"))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("consent_needed")).isNull();
                    assertThat((String) row.get("refresh_token")).doesNotContain("AB11");
                });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-oauth-grants' }.data.'system.quickbooks'", equalTo("connected")));
    }

    @Test
    @Order(2)
    void anOperatorMayStoreARefreshTokenGotElsewhere() {
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("refreshToken", intuit.issueRefreshToken()))
                .when().put("/admin/systems/quickbooks/oauth/refresh-token")
                .then().statusCode(200).body("connected", equalTo(true));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON).body(Map.of())
                .when().put("/admin/systems/quickbooks/oauth/refresh-token")
                .then().statusCode(400).body("field", equalTo("refreshToken"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .when().get("/admin/systems/crm/oauth").then().statusCode(404);
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                .when().get("/admin/systems/quickbooks/oauth/callback?code=x&state=forged")
                .then().statusCode(400).body("error", equalTo("invalid_state"));
    }
}
