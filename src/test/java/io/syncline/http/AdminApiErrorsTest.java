package io.syncline.http;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
