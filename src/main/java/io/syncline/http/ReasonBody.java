package io.syncline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.BadParameterException;

/**
 * The body of an admin action that takes an optional reason (a discard): {@code {"reason": "…"}}
 * or nothing, in any content type, so that a bare POST works.
 */
public final class ReasonBody {

    private ReasonBody() {
    }

    /**
     * The reason the body gives; null when it is empty or gives none.
     *
     * @throws BadParameterException the body is not JSON: 400 {@code bad_request}
     */
    public static String reason(ObjectMapper json, String body) {
        try {
            JsonNode given = body == null || body.isBlank() ? null : json.readTree(body);
            return given == null || !given.hasNonNull("reason") ? null : given.get("reason").asText();
        } catch (JsonProcessingException e) {
            throw new BadParameterException(null, "The body is not JSON; send {\"reason\": \"…\"} or nothing");
        }
    }
}
