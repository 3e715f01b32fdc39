package io.syncline.connector.endpoint;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.deadletter.DeadLetterRepository;
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
 * its object, its id (the component's message id header, or the system's {@code messageId}; from a
 * Kafka topic without it, the record's {@code <topic>/<partition>/<offset>}) the event's id; a CSV file becomes the list of its rows, read by Camel's CSV data format, each with the
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
    @Inject
    DeadLetterRepository deadLetters;
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
            exchange.getMessage().setBody(rows(exchange, system, body));
            return;
        }
        String text = JsonPayloadParser.decode(body);
        exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, text);
        exchange.getMessage().setBody(parser.parse(text));
        String from = EndpointSettings.resolve(settings.from(), environment);
        String header = settings.messageIdHeader(from);
        String id = header == null ? null : exchange.getMessage().getHeader(header, String.class);
        if (id == null && KafkaTopics.is(from)) {
            // a record without an id of its own: its place in the topic, the same at each redelivery
            id = KafkaTopics.place(exchange.getMessage());
        }
        if (id == null) {
            id = AwsEndpoints.messageId(from, exchange.getMessage());
        }
        if (header != null || id != null) {
            exchange.setProperty(ExchangeContract.EVENT_ID, IntakeIds.eventId(id, header != null ? header : "(record)"));
        }
    }

    /**
     * The file's good rows as events: {@code {id: <digest>:<line>, record: {column: value}}}, the
     * header row being line 1; each malformed row a dead letter of its own naming the file and the
     * line, kept once however often the file comes.
     */
    private List<Map<String, Object>> rows(Exchange exchange, String system, byte[] body) throws Exception {
        CsvRows.Read read;
        try {
            read = CsvRows.read(exchange, body);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("malformed_csv", "(file)", "The file is not CSV with a header row: " + e.getMessage());
        }
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME,
                exchange.getMessage().getHeader(AwsEndpoints.OBJECT_KEY, "the file", String.class), String.class);
        for (CsvRows.Malformed row : read.malformed()) {
            deadLetters.storeOnce(exchange.getFromRouteId(), exchange.getProperty(ExchangeContract.ENTITY, String.class), system,
                    row.text(), new InvalidFieldException("malformed_row", "line " + row.line(), file + ": " + row.reason()));
        }
        String digest = digest(body);
        List<Map<String, Object>> events = new ArrayList<>(read.rows().size());
        for (CsvRows.Row row : read.rows()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put(ROW_ID, digest + ":" + row.line());
            event.put(ROW_RECORD, row.record());
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
