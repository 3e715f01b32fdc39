package io.syncline.connector.spi;

import io.syncline.model.SystemMapping;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * A system whose records are rows of a SQL database Syncline reaches itself: what the features
 * that work inside the database need beyond the records (a reconciliation's checksums computed
 * where the rows are, a capture that reads the database's own log). A type offers it by
 * {@link SystemType#database}, so that those features never name the type.
 */
public interface SqlDatabase {

    /** A connection of the system's pool, for reading; the caller closes it. */
    Connection connect() throws SQLException;

    /** Where and as whom the system's pool connects: what a reader of the database's log (Debezium) connects with. */
    Login login();

    /** The table that holds {@code mapping}'s records, as the mapping names it (its type's key); null where it names none. */
    String table(SystemMapping mapping);

    /**
     * @param url         the JDBC URL ({@code jdbc:postgresql://host:5432/db})
     * @param redactedUrl the URL without its options and user info, which may carry a password: for messages
     */
    record Login(String url, String redactedUrl, String user, String password) {

        @Override
        public String toString() {
            return "Login[url=" + redactedUrl + ", user=" + user + ", password=hidden]";
        }
    }

    /** A name that may be placed in SQL text as it is: letters, digits and {@code _}, at most 63. */
    Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** Whether a table or column name is a plain SQL identifier ({@link #IDENTIFIER}). */
    static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }
}
