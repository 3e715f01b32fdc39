package io.syncline.reconcile.bisect;

import io.syncline.store.Sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Installs, checks and drops the objects through which a side's database keeps its own checksums
 * ({@link MaintainedChecksums}), all in the schema of the side's table:
 * <ul>
 *   <li>{@code <name>_rows}: each keyed record's raw key, canonical key text, key hash, segment and
 *       record hash, indexed by segment (so the records of a few differing segments are read by
 *       index, not by hashing the whole table again);</li>
 *   <li>{@code <name>_deltas}: per segment, the change in record count and hash sum of each
 *       statement that wrote the table (insert only, so concurrent writers never wait on one
 *       another; a run adds them up and compacts them);</li>
 *   <li>a trigger function {@code <name>_track()} and four statement-level triggers on the table
 *       (insert, update, delete with their transition tables; truncate), which hash what each
 *       statement wrote with the very expressions of {@link ChecksumForm};</li>
 *   <li>a row in {@code syncline_checksum_install}: which job and system the objects serve and the
 *       fingerprint of the form they were built with. A form that changed (another contract, other
 *       compared fields) has another fingerprint: its objects are built again.</li>
 * </ul>
 * The name is {@code syncline_cs_} and ten hex digits of a digest of job, system and table: an
 * identifier whatever the job is called, one set of objects per job and side.
 */
public final class ChecksumTriggers {

    static final String REGISTRY = "syncline_checksum_install";
    /** Part of the fingerprint: objects built by an older layout of this class are built again. */
    private static final String LAYOUT = "2";
    private static final String[] EVENTS = {"insert", "update", "delete", "truncate"};

    private ChecksumTriggers() {
    }

    /** The objects' common name prefix for a job's side. */
    public static String name(String job, String system, String table) {
        return "syncline_cs_" + HexFormat.of().formatHex(sha256(job + "|" + system + "|" + table.toLowerCase(Locale.ROOT)), 0, 5);
    }

    /** What the form's objects must have been built with. */
    static String fingerprint(ChecksumForm form) {
        return HexFormat.of().formatHex(sha256(String.join("\n", LAYOUT, Integer.toString(MaintainedChecksums.SEGMENT_BITS),
                form.table().toLowerCase(Locale.ROOT), form.keyColumn(), form.keyText(), form.rowHash())));
    }

    /**
     * Whether objects of this name exist, were built for this form and still keep the checksums: a
     * table dropped and created again, or triggers disabled, leave the registry as it was.
     */
    static boolean current(Connection connection, String name, ChecksumForm form) throws SQLException {
        if (!fingerprint(form).equals(installedFingerprint(connection, name))) {
            return false;
        }
        return Sql.one(connection, "SELECT COUNT(*) FROM pg_trigger"
                + " WHERE tgrelid = to_regclass(?) AND tgname IN (?, ?, ?, ?) AND tgenabled <> 'D'", triggers -> {
                    triggers.setString(1, form.table());
                    for (int i = 0; i < EVENTS.length; i++) {
                        triggers.setString(i + 2, name + "_" + EVENTS[i]);
                    }
                }, count -> count.getInt(1) == EVENTS.length);
    }

    /**
     * Builds the objects for the form, unless another run just did, and returns the number of
     * records hashed (-1 when they were current). Writers of the table wait while the existing
     * records are hashed (a lock that lets readers through), so no change slips between the
     * hashing and the triggers.
     *
     * @throws ChecksumForm.NotExpressible the table has no unique key column for the rows to be kept by
     */
    static long install(Connection connection, String job, String system, String name, ChecksumForm form)
            throws SQLException, ChecksumForm.NotExpressible {
        if (!form.keyColumnUnique()) {
            throw new ChecksumForm.NotExpressible(system + "'s key column " + form.keyColumn() + " has no unique index of its own,"
                    + " which maintained checksums keep their records by");
        }
        String fingerprint = fingerprint(form);
        return ChecksumQueries.inTransaction(connection, statement -> {
            // One installer at a time in this database: the registry is created once and each table locked once.
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('" + REGISTRY + "'))");
            statement.execute("CREATE TABLE IF NOT EXISTS " + REGISTRY + " (name TEXT PRIMARY KEY, job TEXT NOT NULL,"
                    + " system TEXT NOT NULL, source_table TEXT NOT NULL, fingerprint TEXT NOT NULL,"
                    + " installed_at TIMESTAMPTZ NOT NULL, records BIGINT NOT NULL)");
            statement.execute("LOCK TABLE " + form.table() + " IN SHARE ROW EXCLUSIVE MODE");
            if (current(connection, name, form)) {
                return -1L;
            }
            drop(statement, name, form.table());
            statement.execute("SET LOCAL extra_float_digits = 1");
            // In segment order: the records of a differing segment then lie on a few pages, not one page each.
            statement.execute("CREATE TABLE " + name + "_rows AS " + hashedRows(form, form.table()) + " ORDER BY segment");
            statement.execute("ALTER TABLE " + name + "_rows ADD PRIMARY KEY (raw_key)");
            statement.execute("CREATE INDEX " + name + "_rows_segment ON " + name + "_rows (segment)");
            statement.execute("CREATE TABLE " + name + "_deltas (segment INTEGER NOT NULL, records BIGINT NOT NULL, hash_sum NUMERIC)");
            statement.execute("INSERT INTO " + name + "_deltas SELECT segment, COUNT(*), SUM(row_hash) FROM " + name + "_rows GROUP BY 1");
            statement.execute("INSERT INTO " + name + "_deltas " + unkeyed(form, form.table(), ""));
            statement.execute(trackFunction(connection, name, form));
            statement.execute(trigger(name, "insert", form.table(), "REFERENCING NEW TABLE AS new_rows"));
            statement.execute(trigger(name, "update", form.table(), "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"));
            statement.execute(trigger(name, "delete", form.table(), "REFERENCING OLD TABLE AS old_rows"));
            statement.execute(trigger(name, "truncate", form.table(), ""));
            for (String event : EVENTS) {
                // Also for writes applied as a replica applies them (logical replication, pg_restore), which skip
                // ordinary triggers: a checksum that missed a write would hide a difference.
                statement.execute("ALTER TABLE " + form.table() + " ENABLE ALWAYS TRIGGER " + name + "_" + event);
            }
            long records;
            try (ResultSet count = statement.executeQuery("SELECT COALESCE(SUM(records), 0) FROM " + name + "_deltas")) {
                count.next();
                records = count.getLong(1);
            }
            Sql.update(connection, "INSERT INTO " + REGISTRY
                    + " VALUES (?, ?, ?, ?, ?, now(), ?) ON CONFLICT (name) DO UPDATE SET job = excluded.job, system = excluded.system,"
                    + " source_table = excluded.source_table, fingerprint = excluded.fingerprint,"
                    + " installed_at = excluded.installed_at, records = excluded.records", register -> {
                        register.setString(1, name);
                        register.setString(2, job);
                        register.setString(3, system);
                        register.setString(4, form.table());
                        register.setString(5, fingerprint);
                        register.setLong(6, records);
                    });
            return records;
        });
    }

    /** Drops the objects of this name, if any: the table's writers no longer pay for them. */
    public static boolean uninstall(Connection connection, String name, String table) throws SQLException {
        return ChecksumQueries.inTransaction(connection, statement -> {
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('" + REGISTRY + "'))");
            boolean installed = installedFingerprint(connection, name) != null;
            drop(statement, name, table);
            if (installed) {
                Sql.update(connection, "DELETE FROM " + REGISTRY + " WHERE name = ?", unregister -> unregister.setString(1, name));
            }
            return installed;
        });
    }

    private static void drop(Statement statement, String name, String table) throws SQLException {
        for (String event : EVENTS) {
            statement.execute("DROP TRIGGER IF EXISTS " + name + "_" + event + " ON " + table);
        }
        statement.execute("DROP FUNCTION IF EXISTS " + name + "_track()");
        statement.execute("DROP TABLE IF EXISTS " + name + "_rows, " + name + "_deltas");
    }

    private static String installedFingerprint(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet registry = statement.executeQuery("SELECT to_regclass('" + REGISTRY + "') IS NOT NULL")) {
            registry.next();
            if (!registry.getBoolean(1)) {
                return null; // nothing was ever installed in this database
            }
        }
        return Sql.optional(connection, "SELECT fingerprint FROM " + REGISTRY + " WHERE name = ?", select -> select.setString(1, name), row -> row.getString(1))
                .orElse(null);
    }

    /** The keyed records of {@code relation}, hashed as the form hashes them, as rows of {@code <name>_rows}. */
    private static String hashedRows(ChecksumForm form, String relation) {
        return "SELECT k." + form.keyColumn() + " AS raw_key, (" + form.keyText() + ") AS key_text, "
                + ChecksumForm.KEY_HASH + " AS key_hash, (" + ChecksumForm.KEY_HASH + " & " + ChecksumQueries.mask(MaintainedChecksums.SEGMENT_BITS)
                + ")::int4 AS segment, " + form.rowHash() + " AS row_hash FROM (" + form.keyed(relation) + ") k"
                + " WHERE k." + form.keyColumn() + " IS NOT NULL";
    }

    /** The count of keyless records of {@code relation} as a delta of segment -1 (none when there are none). */
    private static String unkeyed(ChecksumForm form, String relation, String sign) {
        return "SELECT " + MaintainedChecksums.UNKEYED + ", " + sign + "COUNT(*), NULL::numeric FROM " + relation
                + " WHERE " + form.keyColumn() + " IS NULL HAVING COUNT(*) > 0";
    }

    /**
     * The trigger function. SECURITY DEFINER with a fixed search path: whoever may write the table
     * keeps its checksums, without rights of their own on Syncline's objects, and nothing a writer
     * puts on their search path can stand in for a function the hashes call.
     */
    private static String trackFunction(Connection connection, String name, ChecksumForm form) throws SQLException {
        String schema;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT current_schema()")) {
            row.next();
            schema = row.getString(1);
        }
        String rows = name + "_rows";
        String deltas = name + "_deltas";
        return "CREATE FUNCTION " + name + "_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER"
                + " SET extra_float_digits = 1 SET search_path = pg_catalog, \"" + schema.replace("\"", "\"\"") + "\", pg_temp"
                + " AS $syncline$\nBEGIN\n"
                + "  IF TG_OP = 'TRUNCATE' THEN\n"
                + "    TRUNCATE " + rows + ", " + deltas + ";\n"
                + "    RETURN NULL;\n"
                + "  END IF;\n"
                // Old versions first: an update that keeps a key deletes its row before inserting it again.
                + "  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n"
                + "    WITH gone AS (DELETE FROM " + rows + " r USING old_rows o WHERE r.raw_key = o." + form.keyColumn()
                + " RETURNING r.segment, r.row_hash)\n"
                + "    INSERT INTO " + deltas + " SELECT segment, -COUNT(*), -SUM(row_hash) FROM gone GROUP BY 1;\n"
                + "    INSERT INTO " + deltas + " " + unkeyed(form, "old_rows", "-") + ";\n"
                + "  END IF;\n"
                + "  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n"
                + "    WITH added AS (INSERT INTO " + rows + " " + hashedRows(form, "new_rows") + " RETURNING segment, row_hash)\n"
                + "    INSERT INTO " + deltas + " SELECT segment, COUNT(*), SUM(row_hash) FROM added GROUP BY 1;\n"
                + "    INSERT INTO " + deltas + " " + unkeyed(form, "new_rows", "") + ";\n"
                + "  END IF;\n"
                + "  RETURN NULL;\n"
                + "END\n$syncline$";
    }

    private static String trigger(String name, String event, String table, String transitions) {
        return "CREATE TRIGGER " + name + "_" + event + " AFTER " + event.toUpperCase(Locale.ROOT) + " ON " + table + " "
                + transitions + " FOR EACH STATEMENT EXECUTE FUNCTION " + name + "_track()";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
