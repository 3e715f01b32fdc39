package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are worth retrying, and the provider's reason taken from its error body. */
class HttpFailureClassifierTest {

    private final HttpFailureClassifier classifier = new HttpFailureClassifier(new ObjectMapper());

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void timeoutsRateLimitsAndServerErrorsAreTransient(int status) {
        assertThat(HttpFailureClassifier.isTransient(status)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 301})
    void otherFailuresArePermanent(int status) {
        assertThat(HttpFailureClassifier.isTransient(status)).isFalse();
    }

    @Test
    void noAnswerIsTransientAndSaysWhy() {
        assertThat(HttpFailureClassifier.unreachable("crm", "POST /x", new ConnectException("Connection refused")))
                .hasMessage("crm is unavailable: POST /x could not connect (Connection refused)");
        assertThat(HttpFailureClassifier.unreachable("crm", "POST /x", new HttpTimeoutException("request timed out")))
                .hasMessage("crm is unavailable: POST /x timed out");
        assertThat(HttpFailureClassifier.unreachable("crm", "POST /x", new HttpConnectTimeoutException("HTTP connect timed out")))
                .hasMessage("crm is unavailable: POST /x timed out");
        assertThat(HttpFailureClassifier.unreachable("crm", "POST /x", new IOException("Connection reset")).status()).isEmpty();
    }

    @Test
    void hubSpotMessageComesWithItsCategory() {
        assertThat(classifier.providerMessage("{\"status\":\"error\",\"message\":\"Property values were not valid\","
                + "\"correlationId\":\"b8e2\",\"category\":\"VALIDATION_ERROR\"}"))
                .isEqualTo("Property values were not valid (VALIDATION_ERROR)");
    }

    @Test
    void stripeOAuthAndProblemDetailMessagesAreFound() {
        assertThat(classifier.providerMessage("{\"error\":{\"code\":\"resource_missing\",\"message\":\"No such customer: 'cus_1'\"}}"))
                .isEqualTo("No such customer: 'cus_1' (resource_missing)");
        assertThat(classifier.providerMessage("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}"))
                .isEqualTo("Client authentication failed (invalid_client)");
        assertThat(classifier.providerMessage("{\"type\":\"about:blank\",\"title\":\"Unprocessable\",\"detail\":\"email is taken\"}"))
                .isEqualTo("email is taken");
        assertThat(classifier.providerMessage("{\"errors\":[{\"message\":\"name is required\"}]}")).isEqualTo("name is required");
        assertThat(classifier.providerMessage("{\"type\":\"error.list\",\"errors\":[{\"code\":\"parameter_invalid\","
                + "\"message\":\"Invalid email\"}]}")).as("Intercom's").isEqualTo("Invalid email (parameter_invalid)");
        assertThat(classifier.providerMessage("{\"error\":\"not_found\"}")).isEqualTo("not_found");
    }

    @Test
    void oktasErrorGivesItsSummaryItsCausesAndItsCode() {
        assertThat(classifier.providerMessage("{\"errorCode\":\"E0000001\",\"errorSummary\":\"Api validation failed: login\","
                + "\"errorLink\":\"E0000001\",\"errorId\":\"oaeHfmOAx1iRLa0H10DeMz5fQ\",\"errorCauses\":[{\"errorSummary\":"
                + "\"login: An object with this field already exists in the current organization\"}]}"))
                .isEqualTo("Api validation failed: login: login: An object with this field already exists in the current"
                        + " organization (E0000001)");
        assertThat(classifier.providerMessage("{\"errorCode\":\"E0000011\",\"errorSummary\":\"Invalid token provided\","
                + "\"errorLink\":\"E0000011\",\"errorId\":\"oaeAbc\",\"errorCauses\":[]}"))
                .isEqualTo("Invalid token provided (E0000011)");
    }

    @Test
    void aJsonApiErrorGivesItsFirstDetailAndCode() {
        // Klaviyo: {"errors": [{"id", "status", "code", "title", "detail", "source"}]}, the title generic, the detail the reason
        assertThat(classifier.providerMessage("{\"errors\":[{\"id\":\"e1\",\"status\":400,\"code\":\"invalid\","
                + "\"title\":\"Invalid input.\",\"detail\":\"Invalid email address\",\"source\":{\"pointer\":\"/data/attributes/email\"}}]}"))
                .isEqualTo("Invalid email address (invalid)");
    }

    @Test
    void quickBooksFaultGivesItsDetailAndCode() {
        assertThat(classifier.providerMessage("{\"Fault\":{\"Error\":[{\"Message\":\"message=ThrottleExceeded; errorCode=003001;"
                + " statusCode=429\",\"Detail\":\"The request limit was reached.\",\"code\":\"3001\"}],\"type\":\"SERVICE\"},"
                + "\"time\":\"2026-11-26T07:42:19.000-08:00\"}")).isEqualTo("The request limit was reached. (3001)");
        assertThat(classifier.providerMessage("{\"Fault\":{\"Error\":[{\"Message\":\"message=AuthenticationFailed;"
                + " errorCode=003200; statusCode=401\",\"code\":\"3200\"}],\"type\":\"AUTHENTICATION\"}}"))
                .isEqualTo("message=AuthenticationFailed; errorCode=003200; statusCode=401 (3200)");
    }

    @Test
    void xerosValidationExceptionGivesEachElementsValidationErrors() {
        assertThat(classifier.providerMessage("{\"ErrorNumber\":10,\"Type\":\"ValidationException\",\"Message\":\"A validation"
                + " exception occurred\",\"Elements\":[{\"Type\":\"ACCREC\",\"Contact\":{\"ContactID\":\"c0\"},\"LineItems\":[],"
                + "\"ValidationErrors\":[{\"Message\":\"Contact cannot be empty.\"},{\"Message\":\"Account must be valid.\"}]}]}"))
                .isEqualTo("A validation exception occurred: Contact cannot be empty.; Account must be valid.");
    }

    @Test
    void errorsListedByFieldAreNamedWithTheirField() {
        assertThat(classifier.providerMessage("{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\","
                + "\"details\":{\"email\":[{\"description\":\"Email: a@b.c is already being used by another user\","
                + "\"error\":\"DuplicateValue\"}]}}"))
                .isEqualTo("Record validation errors: email: Email: a@b.c is already being used by another user (RecordInvalid)");
        assertThat(classifier.providerMessage("{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}"))
                .isEqualTo("Not found (RecordNotFound)");
        assertThat(classifier.providerMessage("{\"errors\":{\"email\":[\"has already been taken\"],\"phone\":[\"is invalid\"]}}"))
                .isEqualTo("email: has already been taken; phone: is invalid");
        assertThat(classifier.providerMessage("{\"errors\":\"[API] Invalid API key or access token\"}"))
                .isEqualTo("[API] Invalid API key or access token");
    }

    @Test
    void otherBodiesAreQuotedShortAndEmptyOnesGiveNothing() {
        assertThat(classifier.providerMessage("<html>Bad Gateway</html>\n")).isEqualTo("<html>Bad Gateway</html>");
        assertThat(classifier.providerMessage("{\"unexpected\":1}")).isEqualTo("{\"unexpected\":1}");
        assertThat(classifier.providerMessage("x".repeat(2000))).hasSize(HttpFailureClassifier.MAX_QUOTED_BODY + 1).endsWith("…");
        assertThat(classifier.providerMessage("  ")).isNull();
        assertThat(classifier.providerMessage(null)).isNull();
    }

    /** Google's error body of {@code status} whose one error has {@code reason}. */
    private static String googleError(int status, String message, String reason) {
        return "{\"error\":{\"code\":" + status + ",\"message\":\"" + message + "\",\"errors\":[{\"message\":\"" + message
                + "\",\"domain\":\"usageLimits\",\"reason\":\"" + reason + "\"}]}}";
    }

    @Test
    void googlesRateLimitAnsweredAs403IsTransientAndAnyOther403IsNot() {
        for (String reason : new String[]{"rateLimitExceeded", "userRateLimitExceeded"}) {
            assertThat(classifier.classify("workspace", "PATCH /admin/directory/v1/users/1", answer(403, googleError(403,
                    "Rate Limit Exceeded", reason)), Instant.EPOCH)).as(reason).isInstanceOf(TargetUnavailableException.class)
                    .hasMessageContaining("403 Rate Limit Exceeded (" + reason + ")");
        }
        assertThat(classifier.classify("workspace", "POST /admin/directory/v1/users", answer(403, googleError(403,
                "Not Authorized to access this resource/api", "forbidden")), Instant.EPOCH))
                .isInstanceOf(TargetRejectedException.class)
                .hasMessage("workspace rejected POST /admin/directory/v1/users: 403 Not Authorized to access this resource/api"
                        + " (forbidden)");
        assertThat(classifier.classify("workspace", "POST /x", answer(403, "{\"errors\":[{\"reason\":\"rateLimitExceeded\"}]}"),
                Instant.EPOCH)).as("a reason outside Google's error").isInstanceOf(TargetRejectedException.class);
        assertThat(classifier.providerMessage(googleError(409, "Entity already exists.", "duplicate")))
                .isEqualTo("Entity already exists. (duplicate)");
    }

    private static HttpResponse<String> answer(int status, String body) {
        return new HttpResponse<>() {

            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return HttpRequest.newBuilder(uri()).build();
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(Map.of(), (name, value) -> true);
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<javax.net.ssl.SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return URI.create("http://127.0.0.1/");
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
