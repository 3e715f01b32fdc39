package io.syncline.webhook;

import java.util.List;

/** Required fields are absent, null or blank in the payload. */
public class MissingFieldException extends WebhookRejection {

    private final List<String> fields;

    public MissingFieldException(List<String> fields) {
        super("Missing required field" + (fields.size() == 1 ? " " : "s ") + String.join(", ", fields));
        this.fields = List.copyOf(fields);
    }

    public List<String> fields() {
        return fields;
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String code() {
        return "missing_field";
    }
}
