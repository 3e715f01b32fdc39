package io.syncline.connector.plaid;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.rest.HttpTargetClient;
import io.syncline.connector.rest.RestSettings;
import io.syncline.connector.rest.RestTarget;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Environment;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plaid's calls, each a {@code POST} of JSON whose body carries the team's {@code client_id} and
 * {@code secret} (and, for an Item's data, its {@code access_token}), as Plaid's API reference writes
 * every request; sent through the system's client (its rate limit and pauses). Plaid answers a failure
 * with {@code {"error_type", "error_code", "error_message", "display_message", "request_id", …}}:
 * {@code RATE_LIMIT_EXCEEDED} (429) and Plaid's own outages (5xx) are failures to try again, any other
 * error a refusal naming its code and message; {@code ITEM_LOGIN_REQUIRED} adds what the bank's user
 * must do, since no retry helps until they do it.
 */
final class PlaidApi {

    /** The error codes after which nothing helps until the user signs in to their bank again through Link's update mode. */
    static final Set<String> USER_ACTION = Set.of("ITEM_LOGIN_REQUIRED", "PENDING_EXPIRATION", "ACCESS_NOT_GRANTED");

    private final HttpTargetClient client;
    private final ObjectMapper json;
    private final Environment environment;

    PlaidApi(HttpTargetClient client, ObjectMapper json, Environment environment) {
        this.client = client;
        this.json = json;
        this.environment = environment;
    }

    /** The system's calls, keyed by {@code key}: {@code transaction_id}, {@code account_id}. */
    static RestTarget target(String system, SystemDefinition definition, String key) {
        return new RestTarget(system, RestSettings.of(definition), key, "/", null);
    }

    /** {@code POST path} with the team's credentials and the Item's access token beside {@code members}. */
    Map<String, Object> itemCall(RestTarget target, String path, Map<String, Object> members) {
        Map<String, Object> body = credentials(target);
        body.put("access_token", secret(target, target.definition().auth().token(), "auth.token"));
        body.putAll(members);
        return call(target, path, body);
    }

    private Map<String, Object> credentials(RestTarget target) {
        RestSettings.Auth auth = target.definition().auth();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", secret(target, auth.clientId(), "auth.clientId"));
        body.put("secret", secret(target, auth.clientSecret(), "auth.clientSecret"));
        return body;
    }

    private String secret(RestTarget target, SecretRef ref, String path) {
        String value = ref == null ? null : ref.resolve(environment);
        if (value == null || value.isBlank()) {
            throw new TargetRejectedException(target.system(), 0, null, target.system() + " has no " + path + ": Plaid's calls need it");
        }
        return value;
    }

    private Map<String, Object> call(RestTarget target, String path, Map<String, Object> body) {
        String request = "POST " + path;
        HttpResponse<String> response = client.call(target, "POST", target.at(path), body,
                status -> status >= 400 && status < 500 && status != 429);
        Map<String, Object> answer = parse(target, request, response);
        if (response.statusCode() / 100 != 2) {
            throw failure(target.system(), request, response.statusCode(), answer);
        }
        return answer;
    }

    private Map<String, Object> parse(RestTarget target, String request, HttpResponse<String> response) {
        try {
            Map<String, Object> answer = json.readValue(Objects.requireNonNullElse(response.body(), ""), new TypeReference<>() {
            });
            return answer == null ? Map.of() : answer;
        } catch (IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, request + " answered "
                    + response.statusCode() + " with a body that is not a JSON object: " + e.getMessage());
        }
    }

    /** What Plaid's error body means: a rate limit to wait out, else a refusal naming its type, code and message. */
    static RuntimeException failure(String system, String request, int status, Map<String, Object> error) {
        String code = String.valueOf(error.get("error_code"));
        String reason = error.get("error_type") + " " + code + ": " + error.get("error_message")
                + (error.get("request_id") == null ? "" : " (request_id " + error.get("request_id") + ")");
        if (status == 429 || "RATE_LIMIT_EXCEEDED".equals(error.get("error_type"))) {
            return new TargetUnavailableException(system, status, null, system + " is unavailable: " + request + " answered "
                    + status + " " + reason, null);
        }
        String action = USER_ACTION.contains(code) ? "; the bank's user must sign in again through Plaid Link's update mode,"
                + " after which the next poll goes on from where this one stopped" : "";
        return new TargetRejectedException(system, status, code + ": " + error.get("error_message"), system + " rejected "
                + request + ": " + status + " " + reason + action);
    }
}
