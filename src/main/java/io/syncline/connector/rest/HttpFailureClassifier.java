package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.spi.RetryAfter;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sorts what went wrong with a request into what the inbox can act on:
 * {@link TargetUnavailableException} (no answer, 408, 429, 5xx, and Google's 403 whose reason is a
 * rate limit: try again later, no earlier than {@code Retry-After}) or {@link TargetRejectedException}
 * (any other non-2xx answer: retrying cannot help). The provider's own message is taken from its error body.
 */
public final class HttpFailureClassifier {

    /** Longest error body quoted when it carries no recognisable message. */
    static final int MAX_QUOTED_BODY = 500;

    /** Where providers put the human-readable reason, in order of preference. */
    private static final List<String> MESSAGE_POINTERS = List.of(
            "/message", // HubSpot, most JSON APIs
            "/error/message", // Stripe, Google
            "/error_description", // OAuth 2.0 (RFC 6749 §5.2)
            "/detail", // RFC 9457 problem details
            "/title",
            "/description", // Zendesk: {"error": "RecordInvalid", "description": "…", "details": {…}}
            "/errors/0/message",
            "/errors/0/detail", // JSON:API (Klaviyo): {"errors": [{"status", "code", "title", "detail"}]}
            "/errorMessages/0", // Jira: {"errorMessages": […], "errors": {field: message}}
            "/errorSummary", // Okta: {"errorCode", "errorSummary", "errorCauses": [{"errorSummary"}]}
            "/Fault/Error/0/Detail", // QuickBooks Online's Fault
            "/Fault/Error/0/Message",
            "/Message", // Xero's ValidationException
            "/errors", // Shopify: {"errors": "…"}
            "/error");
    /** A machine-readable category next to the message, when there is one. */
    private static final List<String> CODE_POINTERS = List.of("/category",
            "/error/errors/0/reason", // Google: {"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}
            "/error/code", "/errorType", "/code",
            "/errorCode", // Okta's E0000001
            "/Fault/Error/0/code",
            "/errors/0/code"); // Intercom: {"type": "error.list", "errors": [{"code", "message"}]}

    /**
     * The reasons of Google's 403 that are a rate limit, not a refusal: Google's APIs answer an exceeded per-user
     * or per-project rate with 403 (as well as 429), to be retried with exponential backoff.
     */
    private static final java.util.Set<String> GOOGLE_RATE_LIMITS = java.util.Set.of("rateLimitExceeded", "userRateLimitExceeded");

    /** Headers a provider gives its reason in where the body has none. */
    private static final List<String> ERROR_HEADERS = List.of("X-BambooHR-Error-Message"); // BambooHR: an empty body

    private final ObjectMapper json;

    public HttpFailureClassifier(ObjectMapper json) {
        this.json = json;
    }

    /** Whether the status is worth retrying: 408 Request Timeout, 429 Too Many Requests, any 5xx. */
    public static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The failure a non-2xx answer to {@code request} (e.g. {@code POST /crm/v3/objects/contacts}) means. */
    public RuntimeException classify(String system, String request, HttpResponse<String> response, Instant now) {
        return classify(system, request, response, now, false);
    }

    /**
     * The failure a non-2xx answer means, for a request that carried an idempotency key ({@code keyed}) or
     * not: to a keyed request, 409 says the first request with that key is still being processed (as
     * Stripe and the IETF's Idempotency-Key draft answer), so a later retry gets its outcome.
     */
    public RuntimeException classify(String system, String request, HttpResponse<String> response, Instant now, boolean keyed) {
        int status = response.statusCode();
        String providerMessage = providerMessage(response.body());
        if (providerMessage == null) {
            providerMessage = ERROR_HEADERS.stream().map(header -> response.headers().firstValue(header).orElse(null))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
        String reason = status + (providerMessage == null ? "" : " " + providerMessage);
        if (isTransient(status) || keyed && status == 409 || status == 403 && rateLimited(response.body())) {
            Duration retryAfter = RetryAfter.of(response.headers(), now).orElse(null);
            return new TargetUnavailableException(system, status, retryAfter, system + " is unavailable: " + request
                    + " answered " + reason + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toSeconds() + " s)"), null);
        }
        if (status >= 300 && status < 400) {
            reason += " to " + response.headers().firstValue("Location").orElse("(no Location)")
                    + "; Syncline does not follow redirects of writes: correct the system's baseUrl";
        }
        return new TargetRejectedException(system, status, providerMessage, system + " rejected " + request + ": " + reason);
    }

    /** Whether an error body is Google's saying a rate limit was exceeded ({@code error.errors[].reason}). */
    private boolean rateLimited(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            for (JsonNode error : json.readTree(body).path("error").path("errors")) {
                if (GOOGLE_RATE_LIMITS.contains(error.path("reason").asText())) {
                    return true;
                }
            }
        } catch (IOException notJson) {
            return false;
        }
        return false;
    }

    /** No answer: connection refused, a timeout, a reset connection. */
    public static TargetUnavailableException unreachable(String system, String request, IOException e) {
        String what = e instanceof HttpTimeoutException ? "timed out"
                : e instanceof ConnectException ? "could not connect (" + describe(e) + ")"
                : "failed: " + describe(e);
        return new TargetUnavailableException(system, null, null, system + " is unavailable: " + request + " " + what, e);
    }

    /**
     * The reason in an error body: HubSpot's {@code message} with its {@code category}, Stripe's
     * {@code error.message}, OAuth's {@code error_description}, a problem detail; otherwise the
     * start of the body as text. Null for an empty body.
     */
    public String providerMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException notJson) {
            return quote(body);
        }
        String message = firstText(tree, MESSAGE_POINTERS);
        String fields = fieldErrors(tree.has("details") ? tree.get("details") : tree.get("errors"));
        if (fields == null) {
            fields = elementErrors(tree.get("Elements"));
        }
        if (fields == null) {
            fields = joined(tree.path("errorCauses"), "/errorSummary");
        }
        if (message == null && fields == null) {
            return quote(body);
        }
        String code = firstText(tree, CODE_POINTERS);
        if (code == null && (text(tree.at("/error_description")) != null || text(tree.at("/description")) != null)) {
            code = text(tree.at("/error")); // OAuth: {"error": "invalid_client", "error_description": "…"}; Zendesk
        }
        String reason = message == null ? fields : fields == null ? message : message + ": " + fields;
        return code == null || code.equals(reason) ? reason : reason + " (" + code + ")";
    }

    /**
     * The errors of each field, where a body lists them by field: {@code {"email": ["has already
     * been taken"]}} (Shopify's {@code errors}) or {@code {"email": [{"description": "…"}]}} (Zendesk's
     * {@code details}), as {@code email: has already been taken}; null when there are none.
     */
    private static String fieldErrors(JsonNode byField) {
        if (byField == null || !byField.isObject()) {
            return null;
        }
        List<String> errors = new java.util.ArrayList<>();
        byField.fields().forEachRemaining(field -> {
            for (JsonNode error : field.getValue().isArray() ? field.getValue() : List.of(field.getValue())) {
                String text = error.isObject() ? firstText(error, List.of("/description", "/message", "/error")) : text(error);
                if (text != null) {
                    errors.add(field.getKey() + ": " + text);
                }
            }
        });
        return errors.isEmpty() ? null : String.join("; ", errors);
    }

    /**
     * The validation errors of each element a body lists ({@code Elements[].ValidationErrors[].Message},
     * Xero's {@code ValidationException}: one element a record sent), joined; null when there are none.
     */
    private static String elementErrors(JsonNode elements) {
        if (elements == null || !elements.isArray()) {
            return null;
        }
        List<String> errors = new java.util.ArrayList<>();
        for (JsonNode element : elements) {
            String text = joined(element.path("ValidationErrors"), "/Message");
            if (text != null) {
                errors.add(text);
            }
        }
        return errors.isEmpty() ? null : String.join("; ", errors);
    }

    /**
     * The text at {@code pointer} of each element of {@code list}, joined (Xero's {@code ValidationErrors[].Message},
     * Okta's {@code errorCauses[].errorSummary}); null when there is none.
     */
    private static String joined(JsonNode list, String pointer) {
        List<String> texts = new java.util.ArrayList<>();
        for (JsonNode element : list) {
            String text = text(element.at(pointer));
            if (text != null) {
                texts.add(text);
            }
        }
        return texts.isEmpty() ? null : String.join("; ", texts);
    }

    private static String firstText(JsonNode tree, List<String> pointers) {
        for (String pointer : pointers) {
            String text = text(tree.at(pointer));
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String quote(String body) {
        String text = body.strip();
        return text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "…";
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
