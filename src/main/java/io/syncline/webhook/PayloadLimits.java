package io.syncline.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One pass over a webhook body's tokens, before anything is bound or stored: the body is exactly
 * one JSON value (no second value, no trailing text, no field given twice), and every name and
 * value is within the limits below and storable by PostgreSQL. Each refusal names the field
 * ({@code address.city}, {@code tags[2]}) and the limit. docs/reference/webhook.md lists them.
 */
final class PayloadLimits {

    /** Objects and arrays nested deeper than this are refused; no source record nests so deep. */
    static final int MAX_DEPTH = 32;
    /** Characters of one number as written: a 38-digit DECIMAL with sign, point and exponent fits. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** Characters of one string value: Salesforce's longest text field (long text area, 131,072). */
    static final int MAX_STRING_LENGTH = 131_072;
    /** Characters of one field name. */
    static final int MAX_NAME_LENGTH = 200;

    private PayloadLimits() {
    }

    /**
     * @return the root value's first token ({@code START_OBJECT} for an object)
     * @throws InvalidFieldException a name or value beyond a limit, or text PostgreSQL cannot store
     * @throws MalformedPayloadException more than one JSON value
     * @throws JsonProcessingException not JSON
     */
    static JsonToken check(JsonFactory factory, String text) throws IOException {
        try (JsonParser parser = factory.createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw MalformedPayloadException.empty();
            }
            int depth = 0;
            JsonToken token = root;
            do {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            throw new InvalidFieldException("limit_exceeded", field(parser),
                                    "Objects and arrays nest deeper than " + MAX_DEPTH + " levels at " + field(parser));
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> checkText(parser, parser.currentName(), MAX_NAME_LENGTH, "name");
                    case VALUE_STRING -> checkText(parser, parser.getText(), MAX_STRING_LENGTH, "value");
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> checkNumber(parser, token);
                    default -> {
                        // true, false, null: nothing to check
                    }
                }
            } while (depth > 0 && (token = parser.nextToken()) != null);
            requireEnd(parser);
            return root;
        }
    }

    private static void requireEnd(JsonParser parser) throws IOException {
        String where = " at line " + parser.currentLocation().getLineNr() + ", column "
                + parser.currentLocation().getColumnNr();
        try {
            if (parser.nextToken() != null) {
                throw MalformedPayloadException.trailingContent(where);
            }
        } catch (JsonProcessingException trailingText) {
            throw MalformedPayloadException.trailingContent(where);
        }
    }

    private static void checkNumber(JsonParser parser, JsonToken token) throws IOException {
        if (parser.getTextLength() > MAX_NUMBER_LENGTH) {
            throw new InvalidFieldException("limit_exceeded", field(parser), "The number at " + field(parser) + " has "
                    + parser.getTextLength() + " characters; at most " + MAX_NUMBER_LENGTH + " are accepted");
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(parser.getDoubleValue())) {
            throw new InvalidFieldException("limit_exceeded", field(parser), "The number at " + field(parser)
                    + " is beyond the range of a double (" + parser.getText() + ")");
        }
    }

    private static void checkText(JsonParser parser, String text, int maxLength, String what) {
        if (text.length() > maxLength) {
            throw new InvalidFieldException("limit_exceeded", field(parser), "The " + what + " at " + field(parser)
                    + " has " + text.length() + " characters; at most " + maxLength + " are accepted");
        }
        String problem = unstorable(text);
        if (problem != null) {
            throw new InvalidFieldException("invalid_text", field(parser), "The " + what + " at " + field(parser)
                    + " contains " + problem);
        }
    }

    /**
     * What in {@code text} is not Unicode text PostgreSQL can store, or null: U+0000, which a
     * {@code text} column refuses, and a surrogate without its pair (an escaped {@code \ud800}),
     * which is no character at all.
     */
    static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "U+0000 (NUL), which PostgreSQL cannot store in text";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("an unpaired surrogate (\\u%04x), which is not Unicode text", (int) c);
            }
        }
        return null;
    }

    /** The parser's position as a field path: {@code address.city}, {@code tags[2]}; {@code (body)} at the root. */
    static String field(JsonParser parser) {
        Deque<String> steps = new ArrayDeque<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
                context = context.getParent()) {
            if (context.inArray() && context.getEntryCount() > 0) {
                steps.push("[" + (context.getEntryCount() - 1) + "]");
            } else if (context.inObject() && context.getCurrentName() != null) {
                steps.push("." + context.getCurrentName());
            }
        }
        String path = String.join("", steps);
        return path.isEmpty() ? "(body)" : path.startsWith(".") ? path.substring(1) : path;
    }
}
