package io.syncline.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a webhook body into a JSON object ({@code Map}). A non-JSON content type is an
 * {@link UnsupportedMediaTypeException} (415); a body that is not a JSON object is a
 * {@link MalformedPayloadException} naming what was wrong and where (400). The
 * {@code webhook-errors} route configuration turns both into JSON answers.
 */
@ApplicationScoped
@Named("jsonPayloadParser")
@RegisterForReflection
public class JsonPayloadParser implements Processor {

    /** Exchange property keeping the body as received, for the dead-letter table. */
    public static final String ORIGINAL_PAYLOAD = "SynclineOriginalPayload";

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static final Pattern REDACTED_SOURCE = Pattern.compile("\\[Source: [^;]*; ");

    private final ObjectMapper mapper;

    public JsonPayloadParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        requireJsonContentType(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.setProperty(ORIGINAL_PAYLOAD, body == null ? "" : new String(body, StandardCharsets.UTF_8));
        exchange.getMessage().setBody(parse(body));
    }

    /** {@code application/json}, or any {@code +json} type, with or without parameters. */
    static void requireJsonContentType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new UnsupportedMediaTypeException(contentType);
        }
    }

    Map<String, Object> parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw MalformedPayloadException.empty();
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw MalformedPayloadException.notJson(describe(e), e);
        } catch (java.io.IOException e) {
            throw MalformedPayloadException.notJson(e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw MalformedPayloadException.empty();
        }
        if (!tree.isObject()) {
            throw MalformedPayloadException.notAnObject(tree.getNodeType().name().toLowerCase());
        }
        return mapper.convertValue(tree, OBJECT);
    }

    private static String describe(JsonProcessingException e) {
        var location = e.getLocation();
        String where = location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        // Jackson names the (redacted) source inside nested locations; the sender only needs line and column.
        return REDACTED_SOURCE.matcher(e.getOriginalMessage()).replaceAll("[") + where;
    }
}
