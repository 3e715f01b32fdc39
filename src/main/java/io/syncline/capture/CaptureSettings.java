package io.syncline.capture;

import io.syncline.connector.spi.SqlDatabase;
import io.syncline.model.CaptureSpec;

import java.net.URI;
import java.util.Locale;
import java.util.Properties;

/**
 * The settings of one capture's Debezium engine, from the model and the system's connection.
 * The password is one of them; Debezium masks settings named {@code *password*} where it logs
 * its configuration, and nothing of Syncline logs these.
 */
final class CaptureSettings {

    /** The database kinds a capture reads. */
    enum Kind {

        POSTGRESQL("io.debezium.connector.postgresql.PostgresConnector", 5432),
        BINLOG("io.debezium.connector.mysql.MySqlConnector", 3306);

        final String connector;
        final int defaultPort;

        Kind(String connector, int defaultPort) {
            this.connector = connector;
            this.defaultPort = defaultPort;
        }

        /** The kind of database a JDBC URL reaches. */
        static Kind of(SqlDatabase.Login source) {
            String url = source.url();
            String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
                return BINLOG;
            }
            throw new IllegalArgumentException("a capture reads PostgreSQL (logical decoding) or MariaDB/MySQL (binary log),"
                    + " not " + (url == null ? "a system without a JDBC URL" : source.redactedUrl()));
        }
    }

    /** How long a failing connection is retried by Debezium itself before the capture counts as failed. */
    static final int ENGINE_RETRIES = 5;

    private CaptureSettings() {
    }

    static Properties of(String capture, String entity, String system, String table, CaptureSpec spec, SqlDatabase.Login source) {
        Kind kind = Kind.of(source);
        URI address = URI.create(source.url().substring("jdbc:".length()));
        String database = address.getPath() == null ? "" : address.getPath().replaceFirst("^/", "");
        Properties settings = new Properties();
        settings.setProperty("name", capture);
        settings.setProperty("connector.class", kind.connector);
        settings.setProperty("topic.prefix", capture);
        settings.setProperty("offset.storage", StateStoreOffsetBackingStore.class.getName());
        settings.setProperty(StateStoreOffsetBackingStore.CAPTURE, capture);
        settings.setProperty("offset.flush.interval.ms", "5000");
        settings.setProperty("database.hostname", address.getHost());
        settings.setProperty("database.port", Integer.toString(address.getPort() > 0 ? address.getPort() : kind.defaultPort));
        settings.setProperty("database.user", source.user() == null ? "" : source.user());
        if (source.password() != null) {
            settings.setProperty("database.password", source.password());
        }
        settings.setProperty("snapshot.mode", spec.initialSnapshot() ? "initial" : "no_data");
        // a delete is one event; Kafka's compaction tombstone after it means nothing here
        settings.setProperty("tombstones.on.delete", "false");
        settings.setProperty("decimal.handling.mode", "precise");
        settings.setProperty("errors.max.retries", Integer.toString(ENGINE_RETRIES));
        settings.setProperty("errors.retry.delay.initial.ms", "1000");
        settings.setProperty("errors.retry.delay.max.ms", "10000");
        if (kind == Kind.POSTGRESQL) {
            String qualified = table.contains(".") ? table : "public." + table;
            settings.setProperty("database.dbname", database);
            settings.setProperty("plugin.name", "pgoutput");
            settings.setProperty("slot.name", spec.slotOrDefault(entity, system));
            settings.setProperty("publication.name", spec.publicationOrDefault(entity, system));
            settings.setProperty("publication.autocreate.mode", "filtered");
            settings.setProperty("table.include.list", qualified.replace(".", "\\."));
            // a quiet table in a busy database: the slot moves on all the same, and the server drops the WAL behind it
            settings.setProperty("heartbeat.interval.ms", "10000");
        } else {
            settings.setProperty("database.server.id", Long.toString(spec.serverIdOrDefault(entity, system)));
            settings.setProperty("database.jdbc.driver", MariaDbBinlogDriver.class.getName());
            settings.setProperty("database.include.list", database);
            settings.setProperty("table.include.list", (database + "." + table).replace(".", "\\."));
            settings.setProperty("include.schema.changes", "false");
            settings.setProperty("schema.history.internal", StateStoreSchemaHistory.class.getName());
            settings.setProperty(StateStoreSchemaHistory.CAPTURE, capture);
            settings.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
            settings.setProperty("connect.timeout.ms", "10000");
        }
        return settings;
    }
}
