package io.syncline.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.AgroalSecurityProvider;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The state-store probe's own PostgreSQL connection, beside the pool rather than borrowed from it
 * ({@link StateStoreProbe}). The pool opens its connections one at a time on one thread: while
 * the store is away every borrower queues a login there, and once it returns a probe that
 * borrowed waited behind them, telling the store's return seconds late. This connection is made
 * with the pool's own URL, settings and credentials, kept open between probes, and opened
 * anew after a failure; every wait on it (connect, login, answer) is bounded by the probe's
 * timeout.
 */
final class ProbeConnection implements AutoCloseable {

    private final String url;
    private final Properties settings;
    private final int timeoutMillis;
    private final StateStoreDriver driver = new StateStoreDriver();
    private Connection connection;

    private ProbeConnection(String url, Properties settings, int timeoutMillis) {
        this.url = url;
        this.settings = settings;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * A connection beside {@code store}'s pool, or null for the embedded store: H2 runs in the
     * application itself, with no network between them to wait on.
     */
    static ProbeConnection beside(AgroalDataSource store, Duration timeout) {
        AgroalConnectionFactoryConfiguration factory = store.getConfiguration().connectionPoolConfiguration()
                .connectionFactoryConfiguration();
        String url = factory.jdbcUrl();
        if (url == null || StateStoreDriver.isEmbedded(url)) {
            return null;
        }
        Properties settings = new Properties();
        settings.putAll(factory.jdbcProperties());
        List<Object> secrets = new ArrayList<>(factory.credentials());
        secrets.add(0, factory.principal());
        for (Object secret : secrets) {
            settings.putAll(securityProperties(factory, secret));
        }
        String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        settings.setProperty("connectTimeout", seconds);
        settings.setProperty("loginTimeout", seconds);
        return new ProbeConnection(url, settings, (int) Math.max(1, timeout.toMillis()));
    }

    /** As the pool's connection factory turns a principal or credential into connection properties. */
    private static Properties securityProperties(AgroalConnectionFactoryConfiguration factory, Object secret) {
        if (secret != null) {
            for (AgroalSecurityProvider provider : factory.securityProviders()) {
                Properties properties = provider.getSecurityProperties(secret);
                if (properties != null) {
                    return properties;
                }
            }
        }
        return new Properties();
    }

    /** {@code SELECT 1}, on the open connection or a new one; a failure closes it. */
    void selectOne() throws SQLException {
        try {
            if (connection == null) {
                connection = driver.connect(url, settings);
                connection.setNetworkTimeout(Runnable::run, timeoutMillis);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                // abort, not close: a close on a partitioned link would wait for the server's answer
                open.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the connection is gone either way
            }
        }
    }
}
