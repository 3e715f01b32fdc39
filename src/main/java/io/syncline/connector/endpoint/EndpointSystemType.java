package io.syncline.connector.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.ScheduledTask;
import io.syncline.connector.spi.SystemTypeSupport;
import io.syncline.connector.spi.TargetStages;
import io.syncline.exchange.ExchangeContract;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemTypeRules;
import io.syncline.webhook.SystemWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.support.DefaultExchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Systems reached through a Camel endpoint: a RabbitMQ queue, a Kafka topic, a folder of CSV
 * files, any component Camel has (docs/connectors/camel-endpoints.md). As a source, each message
 * its {@code from} endpoint's consumer reads is stored in the inbox as a webhook's event is, before
 * the message is acknowledged ({@link #messageIntake}); as a target, each write is one message to
 * its {@code to} endpoint, a JSON object (or a CSV row), carrying a key each receiver can drop a
 * redelivery by ({@link EndpointTargetStages}). Records at rest (an S3 prefix, a folder of files)
 * are read whole for reconciliations and backfills ({@link EndpointPuller}); a message stream
 * cannot be, which start-up says ({@link EndpointRules#validatePull}). It fetches nothing by key.
 */
@ApplicationScoped
@Named(EndpointSystemType.NAME)
public class EndpointSystemType extends SystemTypeSupport {

    public static final String NAME = "camel-endpoint";
    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.WRITE, Ability.CAPTURE_CHANGES,
            Ability.READ_PAGES));
    public static final SystemTypeRules RULES = EndpointRules.RULES;
    /** The scheduled task of a system that exports. */
    static final String EXPORT = "export";

    @Inject
    SyncModelRegistry registry;
    @Inject
    EndpointComponents components;
    @Inject
    ProducerTemplate producer;
    @Inject
    ObjectMapper json;
    @Inject
    EndpointExports exports;
    private final ConfigEnvironment environment = new ConfigEnvironment();

    public EndpointSystemType() {
        super(NAME, ABILITIES, RULES);
    }

    @Override
    public Optional<String> messageIntake(String entity, String system) {
        EndpointSettings settings = settings(system);
        String from = EndpointSettings.resolve(settings.from(), environment);
        if (from == null) {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint) names no endpoint to consume " + entity
                    + " from: add from: <Camel URI>, or from: {env: …} with the variable set");
        }
        String endpoint = components.endpoint(system, settings, from);
        return Optional.of(KafkaTopics.is(from) ? KafkaTopics.consumer(system, endpoint) : endpoint);
    }

    /** A CSV system's message is a file of rows: each row is an event, its id the file's digest and the row's line. */
    @Override
    public Optional<SystemWebhook> webhook(String system, SystemDefinition definition) {
        if (EndpointSettings.of(system, definition).format() != EndpointSettings.Format.CSV) {
            return Optional.empty();
        }
        return Optional.of(new SystemWebhook(() -> {
            throw new IllegalArgumentException("System '" + system + "' (camel-endpoint) takes no webhook requests");
        }, new SystemWebhook.Events("[]", EndpointMessageReader.ROW_ID, EndpointMessageReader.ROW_RECORD, null, null, null),
                null, false));
    }

    /** An exporting system's runs, on its {@code export.schedule}. */
    @Override
    public List<ScheduledTask> scheduled(String system, SystemDefinition definition) {
        EndpointSettings.Export export = EndpointSettings.of(system, definition).export();
        return export == null || export.schedule() == null ? List.of() : List.of(new ScheduledTask(EXPORT, export.schedule()));
    }

    @Override
    public void runScheduled(String system, String task) throws Exception {
        if (EXPORT.equals(task)) {
            exports.run(system);
        } else {
            super.runScheduled(system, task);
        }
    }

    @Override
    public RecordPuller puller() {
        return new EndpointPuller(components, exports, producer.getCamelContext(), json, environment);
    }

    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new EndpointTargetStages(this, context);
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row) throws Exception {
        String id = ownId(entity, system, row);
        write(null, entity, system, EndpointTargetStages.CREATE, id == null ? UUID.randomUUID().toString() : id, row, null);
        return id;
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) throws Exception {
        write(null, entity, system, EndpointTargetStages.UPDATE, id, row, null);
    }

    @Override
    public boolean delete(String entity, String system, String id) throws Exception {
        write(null, entity, system, EndpointTargetStages.DELETE, id, Map.of(), null);
        return true;
    }

    /**
     * One write of the record {@code id} to {@code system}: kept for the next run of an exporting
     * system, in {@code connection}'s transaction (the apply unit's; null for one of its own), else
     * sent ({@link #send}).
     */
    void write(java.sql.Connection connection, String entity, String system, String operation, String id,
            Map<String, Object> row, String messageId) throws Exception {
        if (exports.exports(system)) {
            exports.keep(connection, entity, system, id, EndpointTargetStages.DELETE.equals(operation), row);
        } else {
            send(entity, system, operation, id, row, messageId);
        }
    }

    /** The record's id as the mapping's key names it in the row written; null where the row has none. */
    String ownId(String entity, String system, Map<String, Object> row) {
        Object id = row.get(Mappings.of(registry.current().model(), entity, system).key());
        return id == null ? null : String.valueOf(id);
    }

    /**
     * Sends one write of the record {@code id} to {@code system}'s {@code to} endpoint: the row as a
     * JSON object (a delete: the key alone) or a CSV line, with the headers a receiver reads
     * ({@value ExchangeContract#MESSAGE_ID_HEADER}: {@code messageId}, else the operation and id);
     * to a Kafka topic, the record's id as the message's key.
     */
    void send(String entity, String system, String operation, String id, Map<String, Object> row, String messageId)
            throws Exception {
        EndpointSettings settings = settings(system);
        String to = EndpointSettings.resolve(settings.to(), environment);
        if (to == null) {
            throw new TargetRejectedException(system, 0, null, "System '" + system + "' (camel-endpoint) names no endpoint to"
                    + " write to: add to: <Camel URI>, or to: {env: …} with the variable set");
        }
        Map<String, Object> record = new LinkedHashMap<>(row);
        String key = Mappings.of(registry.current().model(), entity, system).key();
        if (id != null && key != null) {
            record.putIfAbsent(key, id);
        }
        String identity = messageId != null ? messageId : operation + ":" + entity + ":" + id;
        Map<String, Object> headers = new HashMap<>();
        headers.put(ExchangeContract.MESSAGE_ID_HEADER, identity);
        headers.put(ExchangeContract.OPERATION_HEADER, operation);
        headers.put(ExchangeContract.ENTITY_HEADER, entity);
        String idHeader = settings.messageIdHeader(to);
        if (idHeader != null) {
            headers.put(idHeader, identity);
        }
        if (KafkaTopics.is(to)) {
            // a topic's partitioning by the key keeps one record's writes in order
            headers.put(KafkaTopics.keyHeader(), id != null ? id : identity);
        }
        if (AwsEndpoints.isS3(to)) {
            // one object per record, written whole each time: a write sent again leaves the same object
            AwsEndpoints.s3Write(to, id != null ? id : identity, EndpointTargetStages.DELETE.equals(operation), headers);
        }
        Object body = settings.format() == EndpointSettings.Format.CSV ? csvLine(record) : json.writeValueAsString(record);
        producer.sendBodyAndHeaders(components.endpoint(system, settings, to), body, headers);
    }

    /** One CSV line of the record's values, in its columns' order, by Camel's CSV data format. */
    private String csvLine(Map<String, Object> record) throws Exception {
        CsvDataFormat csv = new CsvDataFormat();
        csv.start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            csv.marshal(new DefaultExchange(producer.getCamelContext()), List.of(record), out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            csv.stop();
        }
    }

    private EndpointSettings settings(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        if (definition == null || !NAME.equals(definition.type())) {
            throw new IllegalArgumentException("System '" + system + "' is not a camel-endpoint system");
        }
        return EndpointSettings.of(system, definition);
    }
}
