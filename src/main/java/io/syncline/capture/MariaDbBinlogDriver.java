package io.syncline.capture;

import io.quarkus.runtime.annotations.RegisterForProxy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.store.DelegatingDriver;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The JDBC driver of a binary-log capture: MySQL's, with one statement translated for MariaDB.
 * Debezium's MySQL connector asks for the binary log's position with MySQL 8.4's
 * {@code SHOW BINARY LOG STATUS} and, reading a MariaDB version (10.x, 11.x) as newer than 8.4,
 * gives up where it fails; MariaDB answers the same question to {@code SHOW MASTER STATUS} (which
 * MySQL before 8.4 also takes). Everything else goes to the driver unchanged. Debezium makes it
 * by its class name ({@code database.jdbc.driver}).
 */
@RegisterForReflection
@RegisterForProxy(targets = {Connection.class, Statement.class})
public final class MariaDbBinlogDriver extends DelegatingDriver {

    static final String MYSQL_STATUS = "SHOW BINARY LOG STATUS";
    static final String MARIADB_STATUS = "SHOW MASTER STATUS";

    private final Driver mysql;

    public MariaDbBinlogDriver() throws SQLException {
        this(new com.mysql.cj.jdbc.Driver());
    }

    private MariaDbBinlogDriver(Driver mysql) {
        super(mysql);
        this.mysql = mysql;
    }

    /** The statement as the server takes it. */
    static String translated(String sql) {
        return sql != null && sql.strip().equalsIgnoreCase(MYSQL_STATUS) ? MARIADB_STATUS : sql;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = mysql.connect(url, info);
        return connection == null ? null : translating(connection, Connection.class);
    }

    /** A connection, or a statement it made, that translates the SQL text it is given. */
    private static <T> T translating(T target, Class<T> type) {
        return type.cast(Proxy.newProxyInstance(MariaDbBinlogDriver.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, arguments) -> {
                    if (arguments != null && arguments.length > 0 && arguments[0] instanceof String sql) {
                        arguments[0] = translated(sql);
                    }
                    Object result;
                    try {
                        result = method.invoke(target, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return result instanceof Statement statement && method.getName().equals("createStatement")
                            ? translating(statement, Statement.class) : result;
                }));
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return mysql.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return mysql.getPropertyInfo(url, info);
    }
}
