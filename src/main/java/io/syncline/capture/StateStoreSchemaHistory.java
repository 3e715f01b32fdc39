package io.syncline.capture;

import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The table definitions a binary-log capture has read, in the state store (table
 * {@code capture_schema_history}), so that any replica that takes the capture over reads row
 * events by the definitions of their time. Debezium makes it by its class name.
 */
@RegisterForReflection
public class StateStoreSchemaHistory extends AbstractSchemaHistory {

    /** The connector setting that names the capture whose history this is. */
    public static final String CAPTURE = CONFIGURATION_FIELD_PREFIX_STRING + "syncline.capture";

    private String capture;

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener,
            boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        capture = config.getString(CAPTURE);
        if (capture == null) {
            throw new SchemaHistoryException("No " + CAPTURE + " setting: the capture's schema history cannot be named");
        }
    }

    /** Looked up by CDI: Debezium makes this class, not the container. */
    private static CaptureSchemaHistoryRepository history() {
        return Arc.container().instance(CaptureSchemaHistoryRepository.class).get();
    }

    @Override
    protected void storeRecord(HistoryRecord record) throws SchemaHistoryException {
        try {
            history().append(capture, DocumentWriter.defaultWriter().write(record.document()));
        } catch (SQLException | IOException e) {
            throw new SchemaHistoryException("Cannot save the schema history of capture " + capture, e);
        }
    }

    @Override
    protected void recoverRecords(Consumer<HistoryRecord> records) {
        try {
            for (String record : history().all(capture)) {
                records.accept(new HistoryRecord(DocumentReader.defaultReader().read(record)));
            }
        } catch (SQLException | IOException e) {
            throw new SchemaHistoryException("Cannot read the schema history of capture " + capture, e);
        }
    }

    @Override
    public boolean exists() {
        try {
            return history().exists(capture);
        } catch (SQLException e) {
            throw new SchemaHistoryException("Cannot read the schema history of capture " + capture, e);
        }
    }

    @Override
    public boolean storageExists() {
        return true;
    }

    @Override
    public String toString() {
        return "state store (capture_schema_history)";
    }
}
