package io.syncline.text;

/** Request text that is not UTF-8 ({@link StrictUtf8}): 400 {@code invalid_encoding}. */
public class InvalidEncodingException extends IllegalArgumentException {

    public static final String CODE = "invalid_encoding";

    public InvalidEncodingException(String detail) {
        super(detail);
    }
}
