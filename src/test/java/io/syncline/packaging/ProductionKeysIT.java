package io.syncline.packaging;

import io.restassured.response.Response;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application in the production profile, as a pod runs it: it refuses to start
 * without the console session key or the privacy digest key, with one message naming the missing
 * one and how to set it and exit status 1, and once started its output holds
 * none of the secrets it was given, nor the session cookie a login made.
 *
 * <p>Runs one at a time with the other integration tests that run an application on the test database itself.
 */
@ResourceLock(TestDatabase.MAIN)
class ProductionKeysIT {

    private static final String ADMIN_PASSWORD = "keys-it-admin-Xq7pW2";
    private static final String VIEWER_PASSWORD = "keys-it-viewer-Lm4sD9";
    private static final String SESSION_KEY = "keys-it-session-key-Hb3nR8tZ";
    private static final String DIGEST_KEY = "keys-it-digest-key-Vc6kJ1yE";

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"SYNCLINE_CONSOLE_SESSION_KEY", "SYNCLINE_PRIVACY_DIGEST_KEY"})
    void productionRefusesToStartWithoutTheKey(String setting) throws Exception {
        Map<String, String> environment = environment();
        environment.put(setting, "");
        String name = "production-keys-it-without-" + setting.toLowerCase();

        try (PackagedApplication app = PackagedApplication.start(name, environment, List.of())) {
            await(setting + " missing: the application stops").atMost(Duration.ofSeconds(90))
                    .until(() -> !app.process().isAlive());
            assertThat(app.process().exitValue()).isEqualTo(1);
            assertThat(app.get("/q/health/live")).isEqualTo(-1);
            // what an operator reads in the pod's log to know what to add to the Secret: the refusal
            // once, naming the setting and how to set it, and no stack trace around it
            String output = Files.readString(log(name));
            assertThat(output.split("Start-up stopped", -1)).as("the refusal, once, in:%n%s", output).hasSize(2);
            assertThat(output).contains(setting + " is not set").contains(setting + "=$(openssl rand -base64 32)")
                    .doesNotContain("\tat ").doesNotContain("Caused by");
        }
    }

    @Test
    void aStartedApplicationLogsNoneOfItsSecrets() throws Exception {
        String name = "production-keys-it-started";
        String session;
        try (PackagedApplication app = PackagedApplication.start(name, environment(), List.of())) {
            app.awaitReady("all keys given");

            Response login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("j_username", "viewer").formParam("j_password", VIEWER_PASSWORD)
                    .when().post(app.url("/j_security_check"));
            assertThat(login.statusCode()).isEqualTo(302);
            session = login.getCookie("syncline-console");
            assertThat(session).isNotBlank();
            given().cookie("syncline-console", session).when().get(app.url("/console")).then().statusCode(200);
            given().auth().preemptive().basic("admin", ADMIN_PASSWORD)
                    .when().get(app.url("/admin/dead-letters")).then().statusCode(200);
            given().auth().preemptive().basic("admin", "a-wrong-password")
                    .when().get(app.url("/admin/dead-letters")).then().statusCode(401);
        }

        String output = Files.readString(log(name));
        assertThat(output).as("the application's output").isNotBlank();
        for (String secret : List.of(ADMIN_PASSWORD, VIEWER_PASSWORD, SESSION_KEY, DIGEST_KEY, "a-wrong-password",
                session)) {
            assertThat(output).as("the application's output").doesNotContain(secret);
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.url(),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.user(),
                "SYNCLINE_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "SYNCLINE_VIEWER_PASSWORD", VIEWER_PASSWORD,
                "SYNCLINE_CONSOLE_SESSION_KEY", SESSION_KEY,
                "SYNCLINE_PRIVACY_DIGEST_KEY", DIGEST_KEY));
        if (!TestDatabase.password().isEmpty()) {
            environment.put("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password());
        }
        return environment;
    }

    private static Path log(String name) {
        return Path.of("target", name + ".log");
    }
}
