package io.syncline.connector.endpoint;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.model.ConfigEnvironment;
import io.syncline.webhook.IntakeIds;
import io.syncline.webhook.InvalidFieldException;
import io.syncline.webhook.JsonPayloadParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.dataformat.csv.CsvDataFormat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading stage of a Camel-endpoint system's intake route ({@code process: {ref: EndpointMessageReader}}), before
 * the inbox's: makes the consumed message what the inbox takes of a webhook. A JSON message becomes
 * its object, its id (the component's message id header, or the system's {@code messageId}) the
 * event's id; a CSV file becomes the list of its rows, read by Camel's CSV data format, each with the
 * id {@code <digest of the file>:<line>}, so that the same file dropped again is stored once.
 * A message that is no JSON object, or a file that is no CSV, fails with a
 * {@link io.syncline.webhook.WebhookRejection}, which the intake route keeps as a dead letter.
 */
@ApplicationScoped
@Named("EndpointMessageReader")
@RegisterForReflection
public class EndpointMessageReader implements Processor {

    /** The members of each row's event in the list a CSV file becomes ({@link EndpointSystemType#webhook}). */
    static final String ROW_ID = "id";
    static final String ROW_RECORD = "record";

    @Inject
    SyncModelRegistry registry;
    @Inject
    JsonPayloadParser parser;
    private final ConfigEnvironment environment = new ConfigEnvironment();

    @Override
    public void process(Exchange exchange) throws Exception {
        String system = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        EndpointSettings settings = EndpointSettings.of(system, registry.current().model().systems().get(system));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new InvalidFieldException("empty_body", "(body)", "The message from " + system + " is empty");
        }
        if (settings.format() == EndpointSettings.Format.CSV) {
            exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, new String(body, StandardCharsets.UTF_8));
            exchange.getMessage().setBody(rows(exchange, body));
            return;
        }
        String text = JsonPayloadParser.decode(body);
        exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, text);
        exchange.getMessage().setBody(parser.parse(text));
        String header = settings.messageIdHeader(EndpointSettings.resolve(settings.from(), environment));
        if (header != null) {
            exchange.setProperty(ExchangeContract.EVENT_ID, IntakeIds.eventId(exchange.getMessage().getHeader(header, String.class),
                    header));
        }
    }

    /** The file's rows as events: {@code {id: <digest>:<line>, record: {column: value}}}, the header row being line 1. */
    private static List<Map<String, Object>> rows(Exchange exchange, byte[] body) throws Exception {
        CsvDataFormat csv = new CsvDataFormat();
        csv.setUseMaps(true);
        csv.start();
        List<?> rows;
        try {
            rows = (List<?>) csv.unmarshal(exchange, new ByteArrayInputStream(body));
        } catch (RuntimeException e) {
            throw new InvalidFieldException("malformed_csv", "(file)", "The file is not CSV with a header row: " + e.getMessage());
        } finally {
            csv.stop();
        }
        String digest = digest(body);
        List<Map<String, Object>> events = new ArrayList<>(rows.size());
        int line = 1;
        for (Object row : rows) {
            line++;
            Map<String, Object> event = new LinkedHashMap<>();
            event.put(ROW_ID, digest + ":" + line);
            Map<String, Object> record = new LinkedHashMap<>();
            ((Map<?, ?>) row).forEach((column, value) -> record.put(String.valueOf(column), value));
            event.put(ROW_RECORD, record);
            events.add(event);
        }
        return events;
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
