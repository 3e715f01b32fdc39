package io.syncline.webhook;

/** The body is not JSON, or not a JSON object. */
public class MalformedPayloadException extends WebhookRejection {

    private final String code;

    private MalformedPayloadException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static MalformedPayloadException notJson(String detail, Throwable cause) {
        return new MalformedPayloadException("malformed_json", "Body is not valid JSON: " + detail, cause);
    }

    public static MalformedPayloadException notAnObject(String actualType) {
        return new MalformedPayloadException("not_a_json_object",
                "Body must be a JSON object, but was " + actualType, null);
    }

    public static MalformedPayloadException empty() {
        return new MalformedPayloadException("empty_body", "Body is empty; a JSON object is required", null);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String code() {
        return code;
    }
}
