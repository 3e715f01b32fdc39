package io.syncline.webhook;

/** The request does not declare a JSON content type. */
public class UnsupportedMediaTypeException extends WebhookRejection {

    public UnsupportedMediaTypeException(String contentType) {
        super(415, "unsupported_media_type", null, contentType == null || contentType.isBlank()
                ? "Content-Type is missing; send application/json"
                : "Content-Type " + contentType + " is not supported; send application/json");
    }
}
