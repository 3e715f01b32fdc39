package io.syncline.reconcile;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.mapping.RecordTransformer;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one side's raw records through that system's field contract, the same transformer the
 * real-time path uses, so that a phone written two ways or a time in another zone is the same
 * value here too; then keeps the compared fields as canonical JSON and hashes that JSON.
 * A record its contract rejects is staged with the reasons as its values: it shows as a
 * mismatch naming them instead of vanishing into "only in the other side".
 *
 * <p>The JSON is written here, field names in sorted order, rather than by a general serialiser:
 * it is the one per-record encoding (read back only for keys that differ), and its bytes are what
 * is hashed. JSON tells {@code 1}, {@code "1"}, {@code true} and {@code null} apart, so equal
 * bytes mean equal compared values. Numbers are written exactly ({@code 12.50} stays
 * {@code 12.50}); a driver's own types (a {@code Timestamp} the contract left as it was) as the
 * text of their {@code toString}, to the last digit, as the real-time path's version hash reads
 * them; nested objects and lists through Jackson with sorted keys.
 *
 * <p>A compared reference ({@code ref}) holds this system's own ids of the parents; before the
 * record is hashed they become the parents' canonical ids ({@link ComparedReferences}), looked up a
 * chunk of records at a time.
 */
final class RecordStager {

    static final String REJECTED_FIELD = "_rejected";
    /** Bytes of SHA-256 kept: 128 bits tell millions of records apart with room to spare, in half the staging space. */
    private static final int HASH_BYTES = 16;
    /** The hash every rejected record stages with: rejected on both sides compares equal, as it always has. */
    private static final byte[] REJECTED_HASH = Arrays.copyOf(sha256().digest(REJECTED_FIELD.getBytes(StandardCharsets.UTF_8)),
            HASH_BYTES);
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private final ReconciliationJob job;
    private final RecordTransformer transformer;
    private final String system;
    private final String[] keySteps;
    private final boolean keyIsRaw;
    private final ObjectMapper mapper;
    private final String timestampField;
    /** The compared fields in sorted order, their declared types, and their JSON names ({@code "email":}). */
    private final String[] fields;
    private final CanonicalField.Type[] types;
    private final byte[][] names;
    private final ComparedReferences references;
    private final ParentIds parents;

    RecordStager(ReconciliationJob job, RecordTransformer transformer, String system, ObjectMapper mapper) {
        this(job, transformer, system, mapper, ParentIds.NONE);
    }

    RecordStager(ReconciliationJob job, RecordTransformer transformer, String system, ObjectMapper mapper, ParentIds parents) {
        this.job = job;
        this.parents = parents;
        this.transformer = transformer;
        this.system = system;
        FieldContract contract = transformer.contract(job.entity(), system);
        this.keySteps = contract.keySteps();
        this.keyIsRaw = contract.fields().stream().filter(f -> f.field().equals(job.keyField()) && f.direction().reads())
                .allMatch(f -> !f.computed() && contract.keyPath().equals(f.path()) && f.transforms().steps().isEmpty());
        this.mapper = mapper;
        this.timestampField = job.timestampField();
        EntityDefinition entity = transformer.entity(job.entity());
        this.references = ComparedReferences.of(job, entity);
        this.fields = job.compare().stream().sorted().distinct().toArray(String[]::new);
        this.types = new CanonicalField.Type[fields.length];
        this.names = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            CanonicalField declared = entity.fields().get(fields[i]);
            // a reference's staged value is a canonical id (text) or a dangling reference's mark, whatever the ids' type
            types[i] = declared == null || declared.reference() ? null : declared.type();
            names[i] = ("\"" + new String(QUOTE.quoteAsString(fields[i])) + "\":").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Whether the staged key is the raw key column's value itself (the contract reads the key field
     * from it untransformed, or not at all): then keys a pull counted as repeated are the repeats.
     */
    boolean keyIsRaw() {
        return keyIsRaw;
    }

    /** Stages a chunk of raw records; records without a key are left out. */
    List<StagedRecord> stage(List<Map<String, Object>> chunk) throws IOException {
        List<StagedRecord> staged = new ArrayList<>(chunk.size());
        List<Map<String, Object>> raws = new ArrayList<>(chunk.size());
        List<Map<String, Object>> read = new ArrayList<>(chunk.size());
        for (Map<String, Object> raw : chunk) {
            Map<String, Object> canonical = read(raw, staged);
            if (canonical != null) {
                raws.add(raw);
                read.add(canonical);
            }
        }
        if (!references.isEmpty()) {
            references.translate(read, system, parents);
        }
        MessageDigest sha = sha256();
        Json json = new Json();
        for (int i = 0; i < read.size(); i++) {
            StagedRecord record = stage(raws.get(i), read.get(i), sha, json);
            if (record != null) {
                staged.add(record);
            }
        }
        return staged;
    }

    /**
     * The raw record's canonical fields (a copy where references are to be translated); null when
     * its contract rejects it, staged then (with a key) as its reasons.
     */
    private Map<String, Object> read(Map<String, Object> raw, List<StagedRecord> staged) throws IOException {
        Map<String, Object> canonical;
        try {
            canonical = transformer.toCanonicalUnhashed(job.entity(), system, raw).fields();
        } catch (RecordHeldException e) {
            canonical = e.record().fields();
        } catch (RecordRejectedException e) {
            Object key = FieldPaths.get(raw, keySteps);
            if (key != null) {
                Map<String, Object> reasons = new TreeMap<>(Map.of(REJECTED_FIELD, String.join("; ", e.problems())));
                staged.add(new StagedRecord(key.toString(), REJECTED_HASH, null, mapper.writeValueAsBytes(reasons)));
            }
            return null;
        }
        return references.isEmpty() ? canonical : new HashMap<>(canonical);
    }

    private StagedRecord stage(Map<String, Object> raw, Map<String, Object> canonical, MessageDigest sha, Json json)
            throws IOException {
        Object key = canonical.get(job.keyField());
        if (key == null) {
            key = FieldPaths.get(raw, keySteps);
        }
        if (key == null) {
            return null;
        }
        Instant recordAt = timestampField == null ? null : ComparableValues.toInstant(canonical.get(timestampField));
        Object[] values = new Object[fields.length];
        boolean flat = true;
        for (int i = 0; i < fields.length; i++) {
            Object value = canonical.get(fields[i]);
            // The record's own timestamp is usually compared too: read it once.
            values[i] = fields[i].equals(timestampField) && types[i] == CanonicalField.Type.TIMESTAMP
                    ? ComparableValues.timestamp(value, recordAt) : ComparableValues.normalise(value, types[i]);
            flat &= !(values[i] instanceof Map<?, ?> || values[i] instanceof Collection<?> || values[i] instanceof Object[]);
        }
        byte[] encoded = flat ? json.write(names, values) : sortedJson(values);
        return new StagedRecord(key.toString(), Arrays.copyOf(sha.digest(encoded), HASH_BYTES), recordAt, encoded);
    }

    private byte[] sortedJson(Object[] values) throws IOException {
        Map<String, Object> sorted = new TreeMap<>();
        for (int i = 0; i < fields.length; i++) {
            sorted.put(fields[i], values[i]);
        }
        return mapper.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(sorted);
    }

    /** For building review items: a staged record's values back as a canonical record. */
    static CanonicalRecord canonical(String entity, String system, String key, Map<String, Object> values, String hash) {
        return new CanonicalRecord(entity, system, key, values, hash, null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** A reusable buffer writing a flat object: text, numbers, booleans and nulls as Jackson would, anything else as its text. */
    private static final class Json {

        private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

        private byte[] buffer = new byte[256];
        private int length;

        byte[] write(byte[][] names, Object[] values) {
            length = 0;
            put((byte) '{');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    put((byte) ',');
                }
                put(names[i]);
                Object value = values[i];
                if (value == null) {
                    put(NULL);
                } else if (value instanceof String text) {
                    putQuoted(text);
                } else if (value instanceof Boolean bool) {
                    put(bool ? TRUE : FALSE);
                } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                        || value instanceof BigInteger) {
                    put(value.toString().getBytes(StandardCharsets.US_ASCII));
                } else if (value instanceof BigDecimal decimal) {
                    put(decimal.toPlainString().getBytes(StandardCharsets.US_ASCII));
                } else if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
                    put(value.toString().getBytes(StandardCharsets.US_ASCII));
                } else {
                    putQuoted(value.toString());
                }
            }
            put((byte) '}');
            return Arrays.copyOf(buffer, length);
        }

        /**
         * Text as a JSON string. Printable ASCII without quotes or backslashes, nearly every value,
         * is its own encoding and is copied; anything else goes through Jackson's encoder, which
         * allocates an array per value.
         */
        private void putQuoted(String text) {
            put((byte) '"');
            int start = length;
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                    length = start;
                    put(QUOTE.quoteAsUTF8(text));
                    break;
                }
                buffer[length++] = (byte) c;
            }
            put((byte) '"');
        }

        private void put(byte b) {
            ensure(1);
            buffer[length++] = b;
        }

        private void put(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
