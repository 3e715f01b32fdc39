package io.syncline.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.text.InvalidEncodingException;
import io.syncline.text.StrictUtf8;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a webhook body into a JSON object ({@code Map}). A non-JSON content type is an
 * {@link UnsupportedMediaTypeException} (415); a body that is not UTF-8, not exactly one JSON
 * object, or holds a value beyond {@link PayloadLimits} is a {@link MalformedPayloadException}
 * or {@link InvalidFieldException} naming what was wrong and where (400). The
 * {@code webhook-errors} route configuration turns them into JSON answers.
 */
@ApplicationScoped
@Named("JsonPayloadParser")
@RegisterForReflection
public class JsonPayloadParser implements Processor {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static final Pattern REDACTED_SOURCE = Pattern.compile("\\[Source: [^;]*; ");

    private static final TypeReference<List<Object>> ARRAY = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    /** Says which systems post a JSON array of events; null where only objects are parsed. */
    private final SystemWebhooks webhooks;

    public JsonPayloadParser(ObjectMapper mapper) {
        this(mapper, null);
    }

    @Inject
    public JsonPayloadParser(ObjectMapper mapper, SystemWebhooks webhooks) {
        this.mapper = mapper;
        this.webhooks = webhooks;
    }

    @Override
    public void process(Exchange exchange) {
        requireJsonContentType(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String text = decode(body);
        exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, text);
        String system = exchange.getProperty(ExchangeContract.SOURCE_SYSTEM, String.class);
        exchange.getMessage().setBody(postsArrays(system) ? parseArray(text) : parse(text));
    }

    /** A system whose {@code webhook.events.list} starts with {@code []}: its body is an array of events. */
    private boolean postsArrays(String system) {
        if (webhooks == null || system == null) {
            return false;
        }
        String list = webhooks.webhook(system).map(SystemWebhook::events).map(SystemWebhook.Events::list).orElse(null);
        return list != null && list.startsWith("[]");
    }

    /** A JSON array read from text, with every check of a webhook body but the encoding's. */
    @SuppressWarnings("unchecked")
    List<Object> parseArray(String text) {
        return (List<Object>) read(text, JsonToken.START_ARRAY);
    }

    /** {@code application/json}, or any {@code +json} type, with or without parameters. */
    static void requireJsonContentType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new UnsupportedMediaTypeException(contentType);
        }
    }

    Map<String, Object> parse(byte[] body) {
        return parse(decode(body));
    }

    /** The body as text, by the decoder every JSON body goes through ({@link StrictUtf8#json}). */
    public static String decode(byte[] body) {
        try {
            return StrictUtf8.json(body);
        } catch (InvalidEncodingException e) {
            throw MalformedPayloadException.notUtf8(e.getMessage());
        }
    }

    /** A JSON object read from text, with every check of a webhook body but the encoding's. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> parse(String text) {
        return (Map<String, Object>) read(text, JsonToken.START_OBJECT);
    }

    /** @param root {@link JsonToken#START_OBJECT} or {@link JsonToken#START_ARRAY}: what the body must be */
    private Object read(String text, JsonToken root) {
        if (text.isBlank()) {
            throw MalformedPayloadException.empty();
        }
        try {
            JsonToken found = PayloadLimits.check(mapper.getFactory(), text);
            if (found != root) {
                throw root == JsonToken.START_ARRAY ? MalformedPayloadException.notAnArray(typeOf(found))
                        : MalformedPayloadException.notAnObject(typeOf(found));
            }
            return root == JsonToken.START_ARRAY ? mapper.readValue(text, ARRAY) : mapper.readValue(text, OBJECT);
        } catch (StreamConstraintsException e) {
            throw new InvalidFieldException("limit_exceeded", null, "Body is beyond a limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw MalformedPayloadException.notJson(describe(e), e);
        } catch (java.io.IOException e) {
            throw MalformedPayloadException.notJson(e.getMessage(), e);
        }
    }

    private static String typeOf(JsonToken root) {
        return switch (root) {
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> root.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describe(JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        // Jackson names the (redacted) source inside nested locations; the sender only needs line and column.
        return REDACTED_SOURCE.matcher(e.getOriginalMessage()).replaceAll("[") + where;
    }
}
