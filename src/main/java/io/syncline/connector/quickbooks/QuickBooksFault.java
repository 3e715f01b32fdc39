package io.syncline.connector.quickbooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.TargetRejectedException;

import java.io.IOException;
import java.util.Optional;

/**
 * QuickBooks Online's error body, the first error of
 * {@code {"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type": "ValidationFault"}, "time": …}}.
 *
 * @param type    {@code ValidationFault}, {@code SystemFault}, {@code AuthenticationFault}, …
 * @param code    Intuit's error code: {@value #STALE_OBJECT} a stale {@code SyncToken}, {@value #OBJECT_NOT_FOUND}
 *                no such record, {@code 6240} a duplicate name, …
 * @param message the short message ("Stale Object Error")
 * @param detail  the long one, naming the field or the record
 */
record QuickBooksFault(String type, String code, String message, String detail) {

    /** Another session changed the record since its {@code SyncToken} was read: read again and send again. */
    static final String STALE_OBJECT = "5010";
    /** The record does not exist, or was made inactive and cannot be read by id. */
    static final String OBJECT_NOT_FOUND = "610";

    /** The fault of an error body; empty when the body is none. */
    static Optional<QuickBooksFault> of(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return of(json.readTree(body).path("Fault"));
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    /** The fault of a {@code Fault} member (of an error body, or of a batch item's answer); empty when it is none. */
    static Optional<QuickBooksFault> of(JsonNode fault) {
        if (!fault.isObject()) {
            return Optional.empty();
        }
        JsonNode error = fault.path("Error").path(0);
        return Optional.of(new QuickBooksFault(fault.path("type").asText(null), error.path("code").asText(null),
                error.path("Message").asText(null), error.path("Detail").asText(null)));
    }

    boolean is(String code) {
        return code.equals(this.code);
    }

    /** The reason as a person reads it: the detail (else the message), its code and the fault's type. */
    String reason() {
        String text = detail != null && !detail.isBlank() ? detail : message;
        return text + " (" + code + ", " + type + ")";
    }

    /** A refusal no retry can mend: a dead letter with the fault's detail. */
    TargetRejectedException rejected(String system, String request, int status) {
        return new TargetRejectedException(system, status, reason(), system + " rejected " + request + ": " + status + " "
                + reason());
    }
}
