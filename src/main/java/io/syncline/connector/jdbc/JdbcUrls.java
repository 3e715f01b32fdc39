package io.syncline.connector.jdbc;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JDBC URLs a JDBC system may have ({@code url: jdbc:<database>:…}) and the driver of each.
 * Only drivers packaged in the application (and registered for the native image by their
 * Quarkus extensions) are listed, so a URL that no driver would take fails model validation
 * at start-up, not the first write.
 */
public final class JdbcUrls {

    /**
     * Subprotocol to driver class. {@code jdbc:mysql:} takes MySQL's own Connector/J, which the
     * application carries for the binary-log capture; it speaks to MariaDB servers too.
     */
    private static final Map<String, String> DRIVERS = new TreeMap<>(Map.of(
            "postgresql", "org.postgresql.Driver",
            "mariadb", "org.mariadb.jdbc.Driver",
            "mysql", "com.mysql.cj.jdbc.Driver",
            "h2", "org.h2.Driver"));

    private JdbcUrls() {
    }

    /** The driver class of a supported URL, empty for any other. */
    public static Optional<String> driverOf(String url) {
        String subprotocol = subprotocol(url);
        return subprotocol == null ? Optional.empty() : Optional.ofNullable(DRIVERS.get(subprotocol));
    }

    /** The URL without its options and any user info, which may carry a password: for logs and messages. */
    public static String redacted(String url) {
        if (url == null) {
            return null;
        }
        String bare = url.split("[?;]", 2)[0];
        return bare.replaceFirst("//[^/@]*@", "//");
    }

    /** What to write instead, for an error message; never repeats the URL (it may carry a password). */
    static String fix(String url) {
        String hint = "write jdbc:postgresql://host:5432/database, jdbc:mariadb://host:3306/database "
                + "or jdbc:mysql://host:3306/database";
        return hint + "; supported: " + String.join(", ", DRIVERS.keySet().stream().map(name -> "jdbc:" + name + ":").toList());
    }

    /** {@code jdbc:<subprotocol>:} of the URL, for naming it without its host and options. */
    static String prefix(String url) {
        String subprotocol = subprotocol(url);
        return subprotocol == null ? "a value that does not start with jdbc:" : "jdbc:" + subprotocol + ":";
    }

    private static String subprotocol(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return null;
        }
        int end = url.indexOf(':', 5);
        return end < 0 ? null : url.substring(5, end).toLowerCase(Locale.ROOT);
    }
}
