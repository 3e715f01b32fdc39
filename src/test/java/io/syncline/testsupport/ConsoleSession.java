package io.syncline.testsupport;

import io.restassured.response.Response;

import static io.restassured.RestAssured.given;

/** A console session of a form login, for tests that read the console's pages. */
public final class ConsoleSession {

    private ConsoleSession() {
    }

    /** The session cookie ({@code syncline-console}) of the admin's form login. */
    public static String admin() {
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "test-only-password")
                .when().post("/j_security_check");
        if (answer.statusCode() != 302 || answer.getCookie("syncline-console") == null) {
            throw new IllegalStateException("The console's login answered " + answer.statusCode());
        }
        return answer.getCookie("syncline-console");
    }
}
