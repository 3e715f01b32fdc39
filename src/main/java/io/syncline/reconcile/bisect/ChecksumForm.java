package io.syncline.reconcile.bisect;

import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SystemMapping;
import io.syncline.model.TransformSpec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One side's records as PostgreSQL can checksum them: the canonical key as text, a 64-bit hash
 * of the key ({@code hk}, which also picks the record's segment) and a 64-bit hash of the key and
 * the compared values ({@code hr}), all computed inside the side's own database.
 *
 * <p>{@code hr} chains one hash per compared value: each value's hash is seeded with the hash
 * before it (the first with {@code hk}) XOR a constant of its position, another constant when the
 * value is NULL. So a value counts only for its key and its field (two records swapping a value
 * change both hashes), and hashing each value with its form's own function costs about half of
 * what {@code hash_record_extended} of a row of them costs (no row is built and taken apart again
 * per record).
 *
 * <p>The one rule that makes this safe: <b>equal in SQL must mean equal in Java</b>. Two records
 * whose SQL forms hash alike are never pulled, so the SQL form may be finer than the contract's
 * canonical form (then an equal pair is pulled and found equal, which costs time) but never
 * coarser (which would hide a difference). Hence only what SQL can follow exactly or more finely:
 * <ul>
 *   <li>columns read as they are, each hashed from a form that is one-to-one with its value:
 *       text as its bytes, numbers as their text (so that {@code 1.50} stays {@code 1.50} and
 *       {@code -0.0} is not {@code 0.0}), times and dates as their binary form (PostgreSQL's own
 *       hash functions for 64-bit integers and timestamps fold them to 32 bits first, so values
 *       2<sup>32</sup> apart would hash alike); the constants are a digest of the column types in
 *       order, so a number on one side and its text on the other are a (harmless) difference,
 *       never a coincidence;</li>
 *   <li>{@code trim} as {@code btrim} (spaces only: Java's strip removes more, never less),
 *       {@code lowercase} and {@code uppercase} in the "C" collation (ASCII letters only: Java's
 *       case mapping of the rest follows from equal input).</li>
 * </ul>
 * Everything else (parsing transforms, computed fields, required policies, deletion flags,
 * nested paths, other column types) is Java's alone: {@link #of} then says why, and the run pulls in full.
 */
public record ChecksumForm(String table, String keyColumn, String keyText, String rowHash, boolean keyUnique,
        boolean keyColumnUnique) {

    /** The alias of the key hash in the generated SQL, unlikely to be a column name. */
    static final String KEY_HASH = "syncline_hk";
    /** The alias of the record hash. */
    static final String ROW_HASH = "syncline_hr";

    private static final Set<String> SQL_TRANSFORMS = Set.of("trim", "lowercase", "uppercase");
    private static final Set<String> COMPUTING_TRANSFORMS = Set.of("constant", "expression");

    /**
     * Column types by how their values are hashed: a form one-to-one with what Java reads, the hash
     * function of that form, and the form's empty value, hashed for NULL (with another seed). Floats
     * as text rely on {@code extra_float_digits} above 0, which the checksum queries set.
     */
    private enum Family {

        TEXT("(%s)::text COLLATE \"C\"", "hashtextextended", "''"),
        INTEGER("((%s)::int8)::text", "hashtextextended", "''"),
        NUMERIC("(%s)::text", "hashtextextended", "''"),
        FLOAT("(%s)::text", "hashtextextended", "''"),
        BOOLEAN("(%s)::int4", "hashint4extended", "0"),
        INSTANT("encode(timestamptz_send(%s), 'escape')", "hashtextextended", "''"),
        LOCAL_TIME("encode(timestamp_send(%s), 'escape')", "hashtextextended", "''"),
        DATE("encode(date_send(%s), 'escape')", "hashtextextended", "''"),
        UUID("%s", "uuid_hash_extended", "'00000000-0000-0000-0000-000000000000'::uuid");

        final String form;
        final String function;
        final String empty;

        Family(String form, String function, String empty) {
            this.form = form;
            this.function = function;
            this.empty = empty;
        }

        static Family of(String type) {
            return switch (type.toLowerCase(Locale.ROOT)) {
                case "varchar", "text", "name" -> TEXT;
                case "int2", "int4", "int8" -> INTEGER;
                case "numeric" -> NUMERIC;
                case "float4", "float8" -> FLOAT;
                case "bool" -> BOOLEAN;
                case "timestamptz" -> INSTANT;
                case "timestamp" -> LOCAL_TIME;
                case "date" -> DATE;
                case "uuid" -> UUID;
                default -> null;
            };
        }

        /** Whether the value's text is the canonical key Java makes of it ({@code String.valueOf}). */
        boolean keyable() {
            return this == TEXT || this == INTEGER || this == NUMERIC || this == UUID;
        }
    }

    /** Why a side cannot be checksummed; the run pulls in full and records the reason. */
    public static final class NotExpressible extends Exception {

        NotExpressible(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * @param table       the table that holds the mapping's records
     * @param columns     the table's columns: lower-cased label (as the JDBC puller keys a row) to {name, type name}
     * @param compare     the job's compared canonical fields
     * @param uniqueKeys  columns with a unique index of their own
     * @throws NotExpressible the contract reads something only Java can compute, naming it
     */
    public static ChecksumForm of(String system, EntityDefinition entity, SystemMapping mapping, String table, List<String> compare,
            Map<String, Column> columns, Set<String> uniqueKeys) throws NotExpressible {
        if (mapping.delete() != null && mapping.delete().flag() != null) {
            throw new NotExpressible(system + " marks deletions with '" + mapping.delete().flag() + "', which only the contract reads");
        }
        for (FieldMapping field : mapping.fields()) {
            if (field.rows() != null) {
                throw new NotExpressible(system + " keeps the lines of " + field.field() + " in table " + field.rows().table()
                        + ", which the checksum of " + table + " does not cover");
            }
            if (field.field() != null && field.direction().reads()) {
                // Every field read counts, compared or not: a value the contract rejects changes the record's outcome.
                expression(system, table, field, columns);
            }
        }
        Column rawKey = columns.get(mapping.key().toLowerCase(Locale.ROOT));
        if (rawKey == null || Family.of(rawKey.type()) == null || !Family.of(rawKey.type()).keyable()) {
            throw new NotExpressible(system + "'s key column " + mapping.key() + " is "
                    + (rawKey == null ? "not a column of " + table : "of type " + rawKey.type()) + ", which bisection cannot key by");
        }
        FieldMapping keyMapping = reading(mapping, entity.key());
        String keyText;
        boolean keyUnique;
        if (keyMapping == null) {
            keyText = "(" + quote(rawKey.name()) + ")::text";
            keyUnique = uniqueKeys.contains(rawKey.name());
        } else {
            Column column = columns.get(keyMapping.path());
            if (!Family.of(column.type()).keyable()) {
                throw new NotExpressible(system + " reads the key " + entity.key() + " from " + column.name() + " of type "
                        + column.type() + ", which bisection cannot key by");
            }
            boolean rawKeyItself = keyMapping.transforms().isEmpty() && column.name().equals(rawKey.name());
            // As the stager does: the canonical key, or the raw key column when the canonical key is missing.
            keyText = rawKeyItself ? "(" + quote(rawKey.name()) + ")::text"
                    : "COALESCE((" + expression(system, table, keyMapping, columns) + ")::text, (" + quote(rawKey.name()) + ")::text)";
            keyUnique = rawKeyItself && uniqueKeys.contains(rawKey.name());
        }
        List<FieldMapping> compared = new ArrayList<>();
        StringBuilder families = new StringBuilder();
        for (String name : compare.stream().sorted().distinct().toList()) {
            FieldMapping field = reading(mapping, name);
            if (field == null) {
                throw new NotExpressible(system + " does not read the compared field " + name);
            }
            compared.add(field);
            families.append(Family.of(columns.get(field.path()).type()).name()).append(' ');
        }
        // Each value's hash seeded with the hash before it, the key's first: the key hash is computed
        // once per record (PostgreSQL would compute an expression again wherever it is named).
        String row = KEY_HASH;
        for (int i = 0; i < compared.size(); i++) {
            FieldMapping field = compared.get(i);
            Column column = columns.get(field.path());
            Family family = Family.of(column.type());
            String value = String.format(Locale.ROOT, family.form, expression(system, table, field, columns));
            // Every transform is strict: the value is NULL exactly when its column is.
            row = family.function + "(COALESCE(" + value + ", " + family.empty + "), (" + row + " # CASE WHEN " + quote(column.name())
                    + " IS NULL THEN " + constant(families, i, "null") + " ELSE " + constant(families, i, "value") + " END))";
        }
        return new ChecksumForm(table, quote(rawKey.name()), keyText, row, keyUnique, uniqueKeys.contains(rawKey.name()));
    }

    /** Each row of {@code relation} (the table, or a trigger's transition table) with its key hash first. */
    String keyed(String relation) {
        return "SELECT hashtextextended((" + keyText + ") COLLATE \"C\", 0) AS " + KEY_HASH + ", t.* FROM " + relation + " t";
    }

    /** A column of the side's table as its database names and types it. */
    public record Column(String name, String type) {
    }

    private static String expression(String system, String table, FieldMapping field, Map<String, Column> columns)
            throws NotExpressible {
        String name = system + " field " + field.field();
        List<String> transforms = new ArrayList<>();
        for (TransformSpec transform : field.transforms()) {
            if (COMPUTING_TRANSFORMS.contains(transform.name())) {
                throw new NotExpressible(name + " is computed by " + transform.name() + " in Java");
            }
            if (!SQL_TRANSFORMS.contains(transform.name()) || transform.parameters() != null) {
                throw new NotExpressible(name + " uses the " + transform.name() + " transform, which only Java computes");
            }
            transforms.add(transform.name());
        }
        if (field.required() != null) {
            throw new NotExpressible(name + " has a required policy, which only Java applies");
        }
        Column column = field.path() == null ? null : columns.get(field.path());
        if (column == null) {
            throw new NotExpressible(name + " reads '" + field.path() + "', which is not a column of " + table);
        }
        Family family = Family.of(column.type());
        if (family == null) {
            throw new NotExpressible(name + " reads " + column.name() + " of type " + column.type() + ", which bisection cannot checksum");
        }
        if (!transforms.isEmpty() && family != Family.TEXT) {
            throw new NotExpressible(name + " applies " + transforms.get(0) + " to " + column.name() + " of type " + column.type()
                    + ", which the contract rejects");
        }
        String columnName = quote(column.name());
        String expression = columnName;
        for (String transform : transforms) {
            expression = switch (transform) {
                // btrim of a UTF-8 text costs several times a byte search for a space; without one it changes
                // nothing. (Only on the column itself: an expression named twice would be computed twice.)
                case "trim" -> expression.equals(columnName)
                        ? "CASE WHEN strpos((" + columnName + ")::text COLLATE \"C\", ' ') = 0 THEN (" + columnName + ")::text"
                                + " ELSE btrim(" + columnName + ") END"
                        : "btrim(" + expression + ")";
                case "lowercase" -> "lower((" + expression + ")::text COLLATE \"C\")";
                default -> "upper((" + expression + ")::text COLLATE \"C\")";
            };
        }
        return expression;
    }

    /**
     * A bigint literal: 64 bits of SHA-256 of the column families in order, the value's position and
     * its role. Equal on both sides only when every family is.
     */
    private static String constant(CharSequence families, int position, String role) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((families + "|" + position + "|" + role)
                    .getBytes(StandardCharsets.UTF_8));
            return "'" + ByteBuffer.wrap(digest).getLong() + "'::int8";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static FieldMapping reading(SystemMapping mapping, String field) {
        return mapping.fields().stream().filter(f -> field.equals(f.field()) && f.direction().reads()).findFirst().orElse(null);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
