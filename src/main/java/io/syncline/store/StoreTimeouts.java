package io.syncline.store;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.runtime.StartupEvent;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.postgresql.PGConnection;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * How long a thread may wait for the state store to answer (docs/adr/0012-bounded-waits-on-databases.md).
 * Every connection taken from the pool once the application has started waits at most
 * {@code syncline.store.read-timeout} for each answer ({@link Connection#setNetworkTimeout}, the
 * PostgreSQL driver's socket timeout): a connection silent longer, lost to a partition or a
 * failover, fails with a connection error and the pool drops it. The webhook narrows the bound
 * to what a sender may wait ({@link #forIntake}), the alert notifier to a few seconds ({@link #within});
 * a reconciliation widens it ({@link #forLongWork}). Flyway's migrations at start-up are not bounded: an index built on a
 * large table may take minutes. As an Agroal pool interceptor bean, Quarkus applies it to the
 * default datasource (the state store); the embedded H2 store is left alone.
 */
@ApplicationScoped
public class StoreTimeouts implements AgroalPoolInterceptor {

    /** The PostgreSQL driver applies the timeout to its socket at once and never calls the executor. */
    private static final Executor INLINE = Runnable::run;
    /** The least a webhook's INSERT is given, however long the connection took. */
    private static final long LEAST_INTAKE_READ_MILLIS = 500;

    private final int readMillis;
    private final int longReadMillis;
    private final long intakeMillis;
    private volatile boolean started;

    @Inject
    public StoreTimeouts(SynclineConfig config) {
        this(config.store().readTimeout(), config.store().longReadTimeout(), config.store().intakeTimeout());
    }

    StoreTimeouts(Duration read, Duration longRead, Duration intake) {
        this.readMillis = (int) read.toMillis();
        this.longReadMillis = (int) longRead.toMillis();
        this.intakeMillis = intake.toMillis();
    }

    void onStart(@Observes StartupEvent event) {
        started = true;
    }

    /** Before the plan refresh's statement ({@link PlanRefresh}), so that it is bounded too. */
    @Override
    public int getPriority() {
        return 0;
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        if (started) {
            bound(connection, readMillis);
        }
    }

    /**
     * Narrows the connection's bound for a webhook's INSERT to what is left of
     * {@code syncline.store.intake-timeout} after {@code waited} for the connection.
     */
    public void forIntake(Connection connection, Duration waited) {
        bound(connection, (int) Math.max(LEAST_INTAKE_READ_MILLIS, intakeMillis - waited.toMillis()));
    }

    /** The intake's whole bound: a connection the pool cannot give within it is a 503. */
    public Duration intakeTimeout() {
        return Duration.ofMillis(intakeMillis);
    }

    /**
     * The store for work whose statements may rightly run long (a reconciliation's staging and
     * diff): each connection it gives waits up to {@code syncline.store.long-read-timeout}; the
     * next borrower from the pool gets the usual bound again.
     */
    public DataSource forLongWork(DataSource store) {
        return new Bounded(store, longReadMillis);
    }

    /**
     * The store for background work that must not wait on it long (the alert notifier's shared
     * state, whose statements are single rows): each connection it gives waits up to {@code bound}
     * for each answer; the next borrower from the pool gets the usual bound again.
     */
    public static DataSource within(DataSource store, Duration bound) {
        return new Bounded(store, (int) bound.toMillis());
    }

    /** The store whose connections wait another time than the usual for each answer. */
    private static final class Bounded implements DataSource {

        private final DataSource store;
        private final int millis;

        Bounded(DataSource store, int millis) {
            this.store = store;
            this.millis = millis;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = store.getConnection();
            bound(connection, millis);
            return connection;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Connection connection = store.getConnection(username, password);
            bound(connection, millis);
            return connection;
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return store.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            store.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            store.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return store.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return store.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(this) ? type.cast(this) : store.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(this) || store.isWrapperFor(type);
        }
    }

    private static void bound(Connection connection, int millis) {
        try {
            if (connection.isWrapperFor(PGConnection.class)) {
                connection.setNetworkTimeout(INLINE, millis);
            }
        } catch (SQLException e) {
            // A closed connection: its first statement fails with a connection error anyway.
        }
    }
}
