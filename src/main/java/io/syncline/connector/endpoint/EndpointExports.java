package io.syncline.connector.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Mappings;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.support.DefaultExchange;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the file exports of Camel-endpoint systems (docs/connectors/csv-files.md#exports): a
 * write to a system that exports is kept in the state store in the apply unit's transaction
 * ({@link #keep}); a run, on the system's schedule ({@code system-schedule}) or asked for through the
 * admin API, writes one file per entity of the records kept since the last run (or of every record:
 * {@code contents: all}), each record once with its last values, under a hidden name, renamed when
 * whole. A run is recorded before its file is written and finished after: one that did not finish
 * is done again with the same records under the same name, replacing what it may have written.
 */
@ApplicationScoped
@Named(EndpointExports.NAME)
public class EndpointExports {

    public static final String NAME = "EndpointExports";
    private static final Logger LOG = Logger.getLogger(EndpointExports.class);

    /** One entity's part of a run: its file, or nothing to write. */
    @RegisterForReflection
    public record Outcome(String entity, Integer run, String fileName, Integer records, boolean written, Instant startedAt,
            Instant finishedAt) {
    }

    private final SyncModelRegistry registry;
    private final ExportStore store;
    private final EndpointComponents components;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final ConfigEnvironment environment = new ConfigEnvironment();

    EndpointExports(SyncModelRegistry registry, ExportStore store, EndpointComponents components, ProducerTemplate producer,
            ObjectMapper json) {
        this.registry = registry;
        this.store = store;
        this.components = components;
        this.producer = producer;
        this.json = json;
    }

    /** Whether {@code system} of the model in force exports. */
    boolean exports(String system) {
        return settings(system).map(EndpointSettings::export).isPresent();
    }

    /**
     * Keeps one write to an exporting system for its next run: on the apply unit's connection
     * ({@code connection}, in its transaction), or on one of its own where it is null.
     */
    void keep(Connection connection, String entity, String system, String id, boolean deleted, Map<String, Object> row)
            throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>(row);
        String key = Mappings.of(registry.current().model(), entity, system).key();
        if (key != null && id != null) {
            values.putIfAbsent(key, id);
        }
        if (connection != null) {
            store.keep(connection, system, entity, id, deleted, deleted ? Map.of() : values);
        } else {
            store.keep(system, entity, id, deleted, deleted ? Map.of() : values);
        }
    }

    /**
     * Runs {@code system}'s export: a file for each entity it writes that has records to export.
     * An entity whose file could not be written does not keep the others from theirs; the first
     * failure is thrown once all were tried, and that entity's run is done again next time.
     */
    public List<Outcome> run(String system) throws Exception {
        SyncModel model = registry.current().model();
        EndpointSettings settings = settings(system).filter(found -> found.export() != null)
                .orElseThrow(() -> new IllegalArgumentException("System '" + system + "' is no camel-endpoint system that exports"));
        List<Outcome> outcomes = new ArrayList<>();
        Exception failed = null;
        for (String entity : entities(model, system)) {
            try {
                outcomes.add(run(model, system, settings, entity));
            } catch (Exception e) {
                LOG.errorf("The export of %s to %s failed; its run is done again next time: %s", entity, system, e.getMessage());
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return outcomes;
    }

    /** The runs of the entity's export to {@code system}, the newest first. */
    List<ExportStore.Run> runs(String system, String entity, int limit) throws SQLException {
        return store.runs(system, entity, limit);
    }

    /** The entities of the model in force whose records {@code system} is written. */
    List<String> entities(SyncModel model, String system) {
        List<String> entities = new ArrayList<>();
        model.entities().forEach((entity, definition) -> {
            SystemMapping mapping = definition.mappings().get(system);
            if (mapping != null && mapping.writes()) {
                entities.add(entity);
            }
        });
        return entities;
    }

    /** The file of the entity's newest finished run, where a snapshot export has one: what reading it whole reads. */
    Optional<String> lastSnapshot(String system, String entity) throws SQLException {
        return store.lastFinished(system, entity).map(ExportStore.Run::fileName);
    }

    private Outcome run(SyncModel model, String system, EndpointSettings settings, String entity) throws Exception {
        EndpointSettings.Export export = settings.export();
        boolean snapshot = export.contents() == EndpointSettings.Contents.ALL;
        Optional<ExportStore.Run> begun = store.begin(system, entity, snapshot,
                (number, start) -> Exports.fileName(export.fileName(), entity, number, start));
        if (begun.isEmpty()) {
            return new Outcome(entity, null, null, 0, false, null, null);
        }
        ExportStore.Run run = begun.get();
        SystemMapping mapping = Mappings.of(model, entity, system);
        List<Map<String, Object>> records = records(store.rows(run), mapping.key(), export.deletedColumn());
        String to = EndpointSettings.resolve(settings.to(), environment);
        if (to == null) {
            throw new IllegalStateException("System '" + system + "' (camel-endpoint) names no folder to export to: its to:"
                    + " variable is not set");
        }
        Exchange file = new DefaultExchange(producer.getCamelContext());
        file.getMessage().setBody(settings.format() == EndpointSettings.Format.CSV
                ? csv(file, columns(mapping, records, export.deletedColumn()), records)
                : json.writeValueAsBytes(records));
        file.getMessage().setHeader(Exchange.FILE_NAME, run.fileName());
        Exchange sent = producer.send(components.endpoint(system, settings, Exports.endpoint(to)), file);
        if (sent.getException() != null) {
            throw sent.getException();
        }
        ExportStore.Run finished = store.finish(run, records.size(), snapshot);
        LOG.infof("Export of %s to %s: run %d wrote %s with %d records", entity, system, run.run(), run.fileName(), records.size());
        return new Outcome(entity, finished.run(), finished.fileName(), finished.records(), true, finished.startedAt(),
                finished.finishedAt());
    }

    /**
     * Each record once, with its last values (a later write's values over an earlier one's, so
     * that a write of some fields keeps the others), in the order of their ids; a deleted record
     * left out, or its key alone with {@code deletedColumn} true.
     */
    static List<Map<String, Object>> records(List<ExportStore.Written> rows, String key, String deletedColumn) {
        Map<String, Map<String, Object>> last = new TreeMap<>();
        Set<String> deleted = new LinkedHashSet<>();
        for (ExportStore.Written row : rows) {
            if (row.deleted()) {
                last.remove(row.recordId());
                deleted.add(row.recordId());
            } else {
                deleted.remove(row.recordId());
                last.computeIfAbsent(row.recordId(), id -> new LinkedHashMap<>()).putAll(row.values());
            }
        }
        if (deletedColumn != null) {
            last.values().forEach(values -> values.put(deletedColumn, false));
            deleted.forEach(id -> last.put(id, new LinkedHashMap<>(Map.of(key, id, deletedColumn, true))));
        }
        return new ArrayList<>(last.values());
    }

    /** The file's columns: the mapping's paths in its order, then any other the records hold. */
    private static List<String> columns(SystemMapping mapping, List<Map<String, Object>> records, String deletedColumn) {
        Set<String> columns = new LinkedHashSet<>();
        for (FieldMapping field : mapping.fields()) {
            columns.add(field.path());
        }
        records.forEach(record -> columns.addAll(record.keySet()));
        if (deletedColumn != null) {
            columns.remove(deletedColumn);
            columns.add(deletedColumn);
        }
        return new ArrayList<>(columns);
    }

    /** The records as a CSV file with a header row, by Camel's CSV data format. */
    private static byte[] csv(Exchange exchange, List<String> columns, List<Map<String, Object>> records) throws Exception {
        CsvDataFormat csv = new CsvDataFormat();
        csv.setHeader(columns.toArray(String[]::new));
        csv.start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            csv.marshal(exchange, records, out);
            return out.toByteArray();
        } finally {
            csv.stop();
        }
    }

    private Optional<EndpointSettings> settings(String system) {
        SystemDefinition definition = registry.current().model().systems().get(system);
        if (definition == null || !EndpointSystemType.NAME.equals(definition.type())) {
            return Optional.empty();
        }
        return Optional.of(EndpointSettings.of(system, definition));
    }
}
