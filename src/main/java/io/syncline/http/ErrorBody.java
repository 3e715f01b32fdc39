package io.syncline.http;

import io.syncline.failure.RequestRefusal;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape of every error Syncline answers, on the admin API, the webhooks, {@code /q} and
 * unknown paths: {@code {"status": 400, "error": "bad_request", "message": "…", "field": "limit"}},
 * {@code field} only where one field or parameter is at fault. Webhook answers add the route and
 * the exchange id.
 */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Map<String, Object> of(int status, String error, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }

    /** An admin API answer of this shape. */
    public static Response response(Response.StatusType status, String error, String message) {
        return response(status.getStatusCode(), error, message, null);
    }

    /** The answer to a request refused for what it asks. */
    public static Response response(RequestRefusal refusal) {
        return response(refusal.status(), refusal.code(), refusal.getMessage(), refusal.field());
    }

    public static Response response(int status, String error, String message, String field) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(of(status, error, message, field))
                .build();
    }

    /** The code of an error that has no more specific one: {@code not_found}, {@code method_not_allowed}, … */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }
}
