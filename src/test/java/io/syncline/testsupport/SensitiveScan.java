package io.syncline.testsupport;

import org.jboss.logmanager.ExtLogRecord;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where a value of a sensitive field could be kept by Syncline, searched for planted values: every
 * text, JSON and binary column of every table of the state store, and the application's log records.
 * A test plants values, syncs, and expects both to hold none of them.
 */
public final class SensitiveScan {

    private SensitiveScan() {
    }

    /**
     * The columns of the state store (schema {@link TestDatabase#STORE_SCHEMA} of the database at {@code url},
     * found in {@code information_schema}) holding any of {@code values}, each as
     * {@code schema.table.column holds value}; the tables named in {@code except} (systems' own tables
     * kept beside the store) are not searched.
     */
    public static List<String> storeColumnsHolding(String url, Collection<String> values, Collection<String> except) {
        String schema = TestDatabase.STORE_SCHEMA;
        Map<String, List<Map<String, Object>>> columnsByTable = new LinkedHashMap<>();
        for (Map<String, Object> column : TestDatabase.queryOn(url, "SELECT table_name, column_name, data_type"
                + " FROM information_schema.columns WHERE table_schema = ? AND data_type IN ('text', 'character varying',"
                + " 'character', 'json', 'jsonb', 'bytea') ORDER BY table_name, column_name", schema)) {
            String table = (String) column.get("table_name");
            if (!except.contains(table)) {
                columnsByTable.computeIfAbsent(table, t -> new ArrayList<>()).add(column);
            }
        }
        List<String> planted = List.copyOf(values);
        List<String> found = new ArrayList<>();
        if (planted.isEmpty()) {
            return found;
        }
        columnsByTable.forEach((table, columns) -> {
            // one pass over the table for every column and value (a table the earlier tests filled is
            // large): which pairs hold a value at all; names from information_schema, quoted, since
            // they cannot be bound
            List<String> tests = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            for (Map<String, Object> column : columns) {
                String name = "\"" + column.get("column_name") + "\"";
                String text = "bytea".equals(column.get("data_type")) ? "convert_from(" + name + ", 'UTF8')" : name + "::text";
                for (String value : planted) {
                    tests.add("coalesce(bool_or(position(? in " + text + ") > 0), false) AS t" + tests.size());
                    parameters.add(value);
                }
            }
            Map<String, Object> holds = TestDatabase.queryOn(url, "SELECT " + String.join(", ", tests) + " FROM " + schema
                    + ".\"" + table + "\"", parameters.toArray()).get(0);
            for (int i = 0; i < tests.size(); i++) {
                if (Boolean.TRUE.equals(holds.get("t" + i))) {
                    found.add(schema + "." + table + "." + columns.get(i / planted.size()).get("column_name") + " holds "
                            + planted.get(i % planted.size()));
                }
            }
        });
        return found;
    }

    /**
     * Captures the application's log records from now until it is closed, Syncline's and Camel's debug
     * records too (what an operator who turns them on would read): each as its logger's name, its
     * formatted message and any exception's stack trace.
     */
    public static LogCapture captureLogs() {
        return new LogCapture();
    }

    /** The log records published while it is open. */
    public static final class LogCapture extends Handler implements AutoCloseable {

        private static final List<String> CATEGORIES = List.of("io.syncline", "org.apache.camel");

        private final Map<String, Level> levels = new HashMap<>();
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        private LogCapture() {
            for (String category : CATEGORIES) {
                Logger logger = Logger.getLogger(category);
                levels.put(category, logger.getLevel());
                logger.setLevel(Level.FINE);
            }
            Logger.getLogger("").addHandler(this);
        }

        /** The records captured so far, as text. */
        public List<String> lines() {
            return List.copyOf(lines);
        }

        /** The captured records holding any of {@code values}. */
        public List<String> holding(Collection<String> values) {
            return lines.stream().filter(line -> values.stream().anyMatch(line::contains)).toList();
        }

        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            StringWriter text = new StringWriter().append(record.getLoggerName()).append(' ').append(String.valueOf(message));
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(text));
            }
            lines.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
            levels.forEach((category, level) -> Logger.getLogger(category).setLevel(level));
        }
    }
}
