package io.syncline.http;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Every error of the admin API, of the HTTP layer and of unknown paths is JSON of one shape
 * ({@code status}, {@code error}, {@code message}, and {@code field} where one is at fault).
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class AdminApiErrorsTest {

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    @Test
    void aMalformedAuthorizationHeaderIs401WithAJsonBody() {
        given().header("Authorization", "Basic !!!").when().get("/admin/dead-letters")
                .then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Basic"))
                .body("status", equalTo(401))
                .body("error", equalTo("unauthorized"))
                .body("field", equalTo("Authorization"));
    }

    @Test
    void missingOrWrongCredentialsAre401WithAJsonBody() {
        given().when().get("/admin/review-items")
                .then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Basic"))
                .body("error", equalTo("unauthorized"));
        given().auth().preemptive().basic("admin", "wrong").when().get("/admin/review-items")
                .then().statusCode(401).contentType(ContentType.JSON)
                .body("error", equalTo("unauthorized"));
    }

    @Test
    void aMinimumAgeBeyondAnyTimestampIs400NamingTheParameter() {
        admin().when().get("/admin/review-items?minAge=P99999999999D")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("bad_request"))
                .body("field", equalTo("minAge"));
    }

    @Test
    void aFourHundredDigitResolveValueIs400NamingTheField() {
        admin().contentType(ContentType.JSON)
                .body("{\"fields\":{\"lastName\":{\"value\":" + "9".repeat(400) + "}}}")
                .when().post("/admin/review-items/1/resolve")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("limit_exceeded"))
                .body("field", equalTo("fields.lastName.value"));
    }

    @Test
    void aResolveBodyOfTwoObjectsIs400() {
        admin().contentType(ContentType.JSON).body("{\"createNew\":true}{\"createNew\":true}")
                .when().post("/admin/review-items/1/resolve")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("malformed_json"));
    }

    @Test
    void anUnknownDeadLetterStatusIs400NamingTheParameterAndTheAllowedValues() {
        admin().when().get("/admin/dead-letters?status=bogus")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("bad_request"))
                .body("field", equalTo("status"))
                .body("message", containsString("discarded, new, replayed"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /admin/dead-letters?limit=abc             | 400 | limit",
            "GET    | /admin/dead-letters?limit=0               | 400 | limit",
            "GET    | /admin/review-items?limit=99999999999999  | 400 | limit",
            "GET    | /admin/review-items?kind=bogus            | 400 | kind",
            "GET    | /admin/review-items?status=bogus          | 400 | status",
            "GET    | /admin/reconciliations/differences?run=x  | 400 | run",
            "GET    | /admin/reconciliations/differences?bucket=x | 400 | bucket",
            "GET    | /admin/records/contact/c-1/current?system=billing&syncNow=maybe | 400 | syncNow",
    })
    void aBadQueryValueIs400NamingTheParameter(String method, String path, int status, String field) {
        admin().when().request(method, path)
                .then().statusCode(status).contentType(ContentType.JSON)
                .body("status", equalTo(status))
                .body("field", equalTo(field))
                .body("message", notNullValue());
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /admin/dead-letters/abc           | 404 | not_found",
            "GET    | /admin/review-items/99999999999   | 404 | not_found",
            "GET    | /admin/no-such-thing              | 404 | not_found",
            "DELETE | /admin/dead-letters               | 405 | method_not_allowed",
            "GET    | /no-such-path                     | 404 | not_found",
            "GET    | /q/no-such-endpoint               | 404 | not_found",
            "GET    | /webhooks/demo/contacts           | 405 | method_not_allowed",
    })
    void unknownIdsPathsAndMethodsAreJson(String method, String path, int status, String error) {
        admin().when().request(method, path)
                .then().statusCode(status).contentType(ContentType.JSON)
                .body("status", equalTo(status))
                .body("error", equalTo(error));
    }

    @Test
    void aNulInAPathOrQueryValueIs400NamingIt() {
        admin().urlEncodingEnabled(false).when().get("/admin/dead-letters?route=a%00b")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_text"))
                .body("field", equalTo("route"));
        admin().urlEncodingEnabled(false).when().get("/admin/records/contact/a%00b")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_text"));
    }

    @Test
    void aBodyThatIsNotUtf8Is400NamingTheEncodingOnEveryBody() {
        // A last name with an é in ISO-8859-1: read leniently, it would be written as "Lovel\uFFFDce".
        byte[] latin1 = "{\"fields\":{\"lastName\":{\"value\":\"Lovel\u00e9ce\"}}}".getBytes(StandardCharsets.ISO_8859_1);
        admin().contentType(ContentType.JSON).body(latin1).when().post("/admin/review-items/99999999999/resolve")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_encoding"))
                .body("message", containsString("UTF-8"));
        admin().contentType(ContentType.JSON).body(("{\"kind\":\"access\",\"entity\":\"contact\",\"field\":\"email\","
                + "\"value\":\"l\u00e9@example.com\"}").getBytes(StandardCharsets.ISO_8859_1))
                .when().post("/admin/privacy-requests")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_encoding"));
        // The same text in UTF-8 gets past the decoder (to the missing item).
        admin().contentType(ContentType.JSON).body("{\"fields\":{\"lastName\":{\"value\":\"Lovel\u00e9ce\"}}}"
                .getBytes(StandardCharsets.UTF_8)).when().post("/admin/review-items/99999999999/resolve")
                .then().statusCode(404).contentType(ContentType.JSON);
    }

    @Test
    void aConsoleFormThatIsNotUtf8Is400() {
        String session = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "admin").formParam("j_password", "test-only-password")
                .when().post("/j_security_check").then().statusCode(302).extract().cookie("syncline-console");
        given().cookie("syncline-console", session).redirects().follow(false).contentType(ContentType.URLENC)
                .body("reason=Lovel%E9ce").when().post("/console/review/99999999999/discard")
                .then().statusCode(400).contentType(ContentType.HTML)
                .body(containsString("not UTF-8"));
        given().cookie("syncline-console", session).redirects().follow(false).contentType(ContentType.URLENC)
                .body("reason=Lovel%C3%A9ce").when().post("/console/review/99999999999/discard")
                .then().statusCode(404);
    }

    @Test
    void aWrongContentTypeIs415WithAJsonBody() {
        admin().contentType(ContentType.TEXT).body("candidate=b-1")
                .when().post("/admin/review-items/1/resolve")
                .then().statusCode(415).contentType(ContentType.JSON)
                .body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void aResolveBodyThatIsNotJsonIs400WithAJsonBody() {
        admin().contentType(ContentType.JSON).body("{bad")
                .when().post("/admin/review-items/1/resolve")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("malformed_json"));
    }
}
