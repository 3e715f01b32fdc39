package io.syncline.tombstone;

import io.syncline.config.SynclineConfig;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldPaths;
import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.MatchRules;
import io.syncline.model.EntityDefinition;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Non-reversible digests of a person's identifiers: a record's id in a system, and the values of
 * the entity's match keys (the fields its {@code email}, {@code phone} and {@code externalId}
 * rules compare). Tombstones and erasure proofs keep only these. HMAC-SHA256 under
 * {@code syncline.privacy.digest-key} when it is set, so that guessing an address cannot confirm it;
 * plain SHA-256 otherwise. Values are compared trimmed and lower-cased, in canonical form.
 */
@ApplicationScoped
public class SubjectDigests {

    private final Optional<byte[]> key;

    public SubjectDigests(SynclineConfig config) {
        this.key = config.privacy().digestKey().filter(value -> !value.isBlank()).map(value -> value.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of a record's id in a system. */
    public String ofId(String entity, String system, String id) {
        return digest("id", entity, system, id);
    }

    /** The digest of a match key's canonical value. */
    public String ofValue(String entity, String field, Object value) {
        return digest("value", entity, field, normalise(value));
    }

    /** The canonical fields whose values identify a person of the entity: those its equality match rules compare. */
    public static List<String> keyFields(EntityDefinition entity) {
        return MatchRules.identifyingFields(entity);
    }

    /** The digests a record carries: its id in its source system and its match keys' values. */
    public Set<String> of(CanonicalRecord record, EntityDefinition entity) {
        Set<String> digests = new LinkedHashSet<>();
        if (record.sourceId() != null) {
            digests.add(ofId(record.entity(), record.sourceSystem(), record.sourceId()));
        }
        digests.addAll(ofValues(record.entity(), record.fields(), entity));
        return digests;
    }

    /** The digests of the match keys among canonical values. */
    public Set<String> ofValues(String entityName, Map<String, Object> canonical, EntityDefinition entity) {
        Set<String> digests = new LinkedHashSet<>();
        for (String field : keyFields(entity)) {
            Object value = canonical.get(field);
            if (value != null && !normalise(value).isEmpty()) {
                digests.add(ofValue(entityName, field, value));
            }
        }
        return digests;
    }

    /**
     * A system's record in canonical form, for its match keys; one the transforms refuse (a
     * required field emptied by an erasure, say) gives its values as stored.
     */
    public static Map<String, Object> canonicalOrRaw(RecordTransformer transformer, String entity, String system,
            Map<String, Object> record) {
        try {
            return transformer.toCanonicalUnhashed(entity, system, record).fields();
        } catch (RuntimeException refused) {
            Map<String, Object> raw = new java.util.LinkedHashMap<>();
            for (CompiledField field : transformer.contract(entity, system).fields()) {
                if (field.path() != null) {
                    raw.put(field.field(), FieldPaths.get(record, field.steps()));
                }
            }
            return raw;
        }
    }

    public static String normalise(Object value) {
        return value == null ? "" : value.toString().trim().toLowerCase(Locale.ROOT);
    }

    private String digest(String kind, String entity, String name, String value) {
        byte[] input = String.join("\u0000", kind, entity, name, value).getBytes(StandardCharsets.UTF_8);
        try {
            if (key.isPresent()) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
                return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal(input));
            }
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
