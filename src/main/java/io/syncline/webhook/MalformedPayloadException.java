package io.syncline.webhook;

/** The body is not JSON, or not the JSON object (or array of events) the route takes. */
public class MalformedPayloadException extends WebhookRejection {

    private MalformedPayloadException(String code, String message, Throwable cause) {
        super(400, code, message, cause);
    }

    public static MalformedPayloadException notJson(String detail, Throwable cause) {
        return new MalformedPayloadException("malformed_json", "Body is not valid JSON: " + detail, cause);
    }

    public static MalformedPayloadException trailingContent(String where) {
        return new MalformedPayloadException("malformed_json",
                "Body is not valid JSON: it must be one JSON value, but more follows" + where, null);
    }

    public static MalformedPayloadException notUtf8(String detail) {
        return new MalformedPayloadException("invalid_encoding", "Body is not JSON in UTF-8: " + detail, null);
    }

    public static MalformedPayloadException notAnObject(String actualType) {
        return new MalformedPayloadException("not_a_json_object",
                "Body must be a JSON object, but was " + actualType, null);
    }

    /** For a system whose events come as a JSON array ({@code webhook.events.list: "[]"}). */
    public static MalformedPayloadException notAnArray(String actualType) {
        return new MalformedPayloadException("not_a_json_array",
                "Body must be a JSON array of events, but was " + actualType, null);
    }

    public static MalformedPayloadException empty() {
        return new MalformedPayloadException("empty_body", "Body is empty; a JSON object is required", null);
    }
}
