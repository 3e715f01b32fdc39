package io.syncline.sensitive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.SynclineConfig;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.ModelProblem;
import io.syncline.model.ModelValidationException;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The values of the model's sensitive fields ({@code sensitive: true}, docs/privacy.md,
 * "Sensitive fields"): what Syncline keeps of them instead of the clear value. Syncline's tables,
 * pages and reports hold a keyed digest ({@code sha256:<hex>}, HMAC-SHA256), which still tells
 * whether two values are the same; an inbox payload, which the apply path must read again in
 * clear, holds the value encrypted (AES-256-GCM, envelope {@code {"$enc": "v1:<key id>:<base64>"}}).
 *
 * <p>Both keys derive from {@code SYNCLINE_FIELD_KEY} (base64, 32 bytes); a payload encrypted under
 * the key before a rotation is read with {@code SYNCLINE_FIELD_KEY_PREVIOUS}. Neither key is ever
 * part of a message.
 */
@ApplicationScoped
public class SensitiveValues {

    /** The member of an encrypted value's envelope. */
    public static final String ENVELOPE = "$enc";
    /** Every digest starts so. */
    public static final String DIGEST_PREFIX = "sha256:";
    static final String KEY_VARIABLE = "SYNCLINE_FIELD_KEY";
    static final String PREVIOUS_KEY_VARIABLE = "SYNCLINE_FIELD_KEY_PREVIOUS";
    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Hex digits of the digest kept: 128 bits, ample to tell values apart. */
    private static final int DIGEST_HEX = 32;

    private final ObjectMapper mapper;
    private final Optional<Keys> current;
    private final Optional<Keys> previous;
    private final SecureRandom random = new SecureRandom();
    /** Entity to its sensitive fields. */
    private volatile Map<String, Set<String>> fields = Map.of();
    /** Entity, then system, to the paths of its sensitive fields in that system's records. */
    private volatile Map<String, Map<String, List<String>>> paths = Map.of();

    @Inject
    public SensitiveValues(ObjectMapper mapper, SynclineConfig config) {
        this(mapper, config.fieldKey(), config.fieldKeyPrevious());
    }

    SensitiveValues(ObjectMapper mapper, Optional<String> key, Optional<String> previousKey) {
        this.mapper = mapper;
        this.current = key.filter(value -> !value.isBlank()).map(value -> Keys.of(value, KEY_VARIABLE));
        this.previous = previousKey.filter(value -> !value.isBlank()).map(value -> Keys.of(value, PREVIOUS_KEY_VARIABLE));
    }

    /**
     * Takes the sensitive fields of the model coming into force.
     *
     * @throws ModelValidationException when the model has one and {@code SYNCLINE_FIELD_KEY} is not set
     */
    public void use(SyncModel model) {
        Map<String, Set<String>> byEntity = new LinkedHashMap<>();
        Map<String, Map<String, List<String>>> byPath = new LinkedHashMap<>();
        model.entities().forEach((entity, definition) -> {
            Set<String> names = sensitiveFields(definition);
            if (names.isEmpty()) {
                return;
            }
            byEntity.put(entity, Set.copyOf(names));
            Map<String, List<String>> systems = new LinkedHashMap<>();
            definition.mappings().forEach((system, mapping) -> systems.put(system, paths(mapping, names)));
            byPath.put(entity, Map.copyOf(systems));
        });
        if (!byEntity.isEmpty() && current.isEmpty()) {
            String first = byEntity.keySet().iterator().next();
            throw new ModelValidationException(List.of(new ModelProblem("(environment)", 0, KEY_VARIABLE,
                    KEY_VARIABLE + " is not set, and the model marks fields sensitive (entities." + first + ".fields."
                            + byEntity.get(first).iterator().next() + ")",
                    "set " + KEY_VARIABLE + " from a Kubernetes Secret to 32 random bytes in base64, e.g. " + KEY_VARIABLE
                            + "=$(openssl rand -base64 32) (docs/privacy.md, \"Sensitive fields\")")));
        }
        fields = Map.copyOf(byEntity);
        paths = Map.copyOf(byPath);
    }

    private static Set<String> sensitiveFields(EntityDefinition definition) {
        Set<String> names = new LinkedHashSet<>();
        definition.fields().forEach((name, field) -> {
            if (field != null && field.isSensitive()) {
                names.add(name);
            }
        });
        return names;
    }

    private static List<String> paths(SystemMapping mapping, Set<String> names) {
        List<String> found = new ArrayList<>();
        if (mapping == null) {
            return found;
        }
        for (FieldMapping field : mapping.fields()) {
            if (field != null && names.contains(field.field()) && field.path() != null) {
                found.add(field.path());
            }
        }
        return List.copyOf(found);
    }

    /** Whether the model in force has any sensitive field. */
    public boolean any() {
        return !fields.isEmpty();
    }

    /** The entity's sensitive fields (empty for none). */
    public Set<String> fields(String entity) {
        return entity == null ? Set.of() : fields.getOrDefault(entity, Set.of());
    }

    /** Whether {@code field} of {@code entity} is sensitive. */
    public boolean isSensitive(String entity, String field) {
        return fields(entity).contains(field);
    }

    /** Whether the system's records of the entity carry a sensitive field. */
    public boolean carries(String entity, String system) {
        return !paths(entity, system).isEmpty();
    }

    private List<String> paths(String entity, String system) {
        Map<String, List<String>> systems = entity == null ? null : paths.get(entity);
        return systems == null || system == null ? List.of() : systems.getOrDefault(system, List.of());
    }

    /**
     * The keyed digest of a value, {@code sha256:<hex>} (null stays null; a digest stays as it is).
     * Equal values have equal digests under one key.
     */
    public Object digest(Object value) {
        if (value == null || isDigest(value)) {
            return value;
        }
        Keys keys = current.orElseThrow(() -> new IllegalStateException(KEY_VARIABLE + " is not set"));
        byte[] mac = keys.hmac(keys.digestKey, text(value).getBytes(StandardCharsets.UTF_8));
        return DIGEST_PREFIX + HexFormat.of().formatHex(mac).substring(0, DIGEST_HEX);
    }

    /** Whether a value is a digest of this class. */
    public static boolean isDigest(Object value) {
        return value instanceof String text && text.startsWith(DIGEST_PREFIX);
    }

    private String text(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /**
     * A copy of the entity's canonical values with each sensitive field's value a digest; the map
     * itself when the entity has none (null stays null).
     */
    public Map<String, Object> seal(String entity, Map<String, Object> values) {
        Set<String> sensitive = fields(entity);
        if (values == null || sensitive.isEmpty() || values.keySet().stream().noneMatch(sensitive::contains)) {
            return values;
        }
        Map<String, Object> sealed = new LinkedHashMap<>(values);
        for (String field : sensitive) {
            if (sealed.containsKey(field)) {
                sealed.put(field, digest(sealed.get(field)));
            }
        }
        return sealed;
    }

    /**
     * A copy of a structure of maps and lists (a review item's context, a report's rows) in which
     * every member named as one of the entity's sensitive fields holds a digest; the value itself
     * when the entity has none.
     */
    public Object sealNested(String entity, Object value) {
        Set<String> sensitive = fields(entity);
        if (value == null || sensitive.isEmpty()) {
            return value;
        }
        return sealWithin(sensitive, mapper.convertValue(value, Object.class));
    }

    private Object sealWithin(Set<String> sensitive, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sealed = new LinkedHashMap<>();
            map.forEach((name, member) -> sealed.put(String.valueOf(name), sensitive.contains(String.valueOf(name))
                    && !(member instanceof Map<?, ?>) && !(member instanceof List<?>) ? digest(member) : sealWithin(sensitive, member)));
            return sealed;
        }
        if (value instanceof List<?> list) {
            List<Object> sealed = new ArrayList<>(list.size());
            list.forEach(member -> sealed.add(sealWithin(sensitive, member)));
            return sealed;
        }
        return value;
    }

    /**
     * The source system's record with each sensitive field's value encrypted in place (at the
     * path the system's mapping reads it from): a copy, or the record itself when there is none.
     */
    public Map<String, Object> encryptFields(String entity, String system, Map<String, Object> record) {
        List<String> found = paths(entity, system);
        if (record == null || found.isEmpty()) {
            return record;
        }
        Map<String, Object> copy = deepCopy(record);
        for (String path : found) {
            Object value = FieldPaths.has(copy, path) ? FieldPaths.get(copy, path) : null;
            if (value != null && !isEnvelope(value)) {
                FieldPaths.set(copy, path, Map.of(ENVELOPE, encrypt(json(value))));
            }
        }
        return copy;
    }

    /** The JSON text of a source record with its sensitive fields encrypted; unparsable text encrypted whole. */
    public String encryptPayload(String entity, String system, String payload) {
        if (payload == null || payload.isEmpty() || !carries(entity, system)) {
            return payload;
        }
        try {
            Object parsed = mapper.readValue(payload, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) map;
                return json(encryptFields(entity, system, record));
            }
        } catch (JsonProcessingException e) {
            // not a JSON object: its fields cannot be told apart, the whole body is encrypted below
        }
        return json(Map.of(ENVELOPE, encrypt(payload)));
    }

    /** Whether a value is an envelope of an encrypted value. */
    public static boolean isEnvelope(Object value) {
        return value instanceof Map<?, ?> map && map.size() == 1 && map.get(ENVELOPE) instanceof String;
    }

    /**
     * A record read back from the inbox with every encrypted value in clear again (a copy where
     * there was one; the record itself otherwise).
     */
    @SuppressWarnings("unchecked")
    public <T> T decryptAll(T value) {
        if (isEnvelope(value)) {
            return (T) read(decrypt((String) ((Map<?, ?>) value).get(ENVELOPE)));
        }
        if (value instanceof Map<?, ?> map) {
            if (!containsEnvelope(map)) {
                return value;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((name, member) -> copy.put(String.valueOf(name), decryptAll(member)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            if (!containsEnvelope(list)) {
                return value;
            }
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(member -> copy.add(decryptAll(member)));
            return (T) copy;
        }
        return value;
    }

    private static boolean containsEnvelope(Object value) {
        if (isEnvelope(value)) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(SensitiveValues::containsEnvelope);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(SensitiveValues::containsEnvelope);
        }
        return false;
    }

    String encrypt(String clear) {
        Keys keys = current.orElseThrow(() -> new IllegalStateException(KEY_VARIABLE + " is not set"));
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.encryptionKey, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(VERSION.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + ":" + keys.id + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a sensitive value: " + e.getClass().getSimpleName(), e);
        }
    }

    String decrypt(String envelope) {
        String[] parts = envelope.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new IllegalStateException("An encrypted value is not of version " + VERSION);
        }
        Keys keys = current.filter(key -> key.id.equals(parts[1]))
                .or(() -> previous.filter(key -> key.id.equals(parts[1])))
                .orElseThrow(() -> new IllegalStateException("A value is encrypted under key " + parts[1]
                        + ", which is neither " + KEY_VARIABLE + " nor " + PREVIOUS_KEY_VARIABLE));
        byte[] in = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.encryptionKey, "AES"),
                    new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(VERSION.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a sensitive value under key " + parts[1] + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a sensitive value as JSON", e);
        }
    }

    private Object read(String text) {
        try {
            return mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text; // a body encrypted whole that was not JSON: its text
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> deepCopy(Map<String, Object> record) {
        return mapper.convertValue(record, LinkedHashMap.class);
    }

    /** The keys derived from one secret: encryption, digest, and the id an envelope names it by. */
    private record Keys(String id, byte[] encryptionKey, byte[] digestKey) {

        static Keys of(String base64, String variable) {
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(base64.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(variable + " is not base64: set it to 32 random bytes in base64,"
                        + " e.g. $(openssl rand -base64 32)");
            }
            if (secret.length != 32) {
                throw new IllegalStateException(variable + " holds " + secret.length + " bytes, not 32: set it to"
                        + " 32 random bytes in base64, e.g. $(openssl rand -base64 32)");
            }
            byte[] encryption = derive(secret, "syncline field encryption");
            byte[] digest = derive(secret, "syncline field digest");
            String id = HexFormat.of().formatHex(derive(secret, "syncline field key id")).substring(0, 8);
            return new Keys(id, encryption, digest);
        }

        private static byte[] derive(byte[] secret, String purpose) {
            return hmacOf(secret, purpose.getBytes(StandardCharsets.UTF_8));
        }

        byte[] hmac(byte[] key, byte[] data) {
            return hmacOf(key, data);
        }

        private static byte[] hmacOf(byte[] key, byte[] data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }

        @Override
        public String toString() {
            return "Keys[" + id + "]";
        }
    }
}
