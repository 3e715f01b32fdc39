package io.syncline.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldPaths;
import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.VersionHasher;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one side's raw records through that system's field contract, the same transformer the
 * real-time path uses, so that a phone written two ways or a time in another zone is the same
 * value here too; then keeps the compared fields, hashes them and stages the page.
 * A record its contract rejects is staged with the reasons as its values: it shows as a
 * mismatch naming them instead of vanishing into "only in the other side".
 */
final class RecordStager {

    static final String REJECTED_FIELD = "_rejected";

    private final ReconciliationJob job;
    private final RecordTransformer transformer;
    private final EntityDefinition entity;
    private final String system;
    private final String keyPath;
    private final ObjectMapper mapper;

    RecordStager(ReconciliationJob job, RecordTransformer transformer, String system, ObjectMapper mapper) {
        this.job = job;
        this.transformer = transformer;
        this.entity = transformer.entity(job.entity());
        this.system = system;
        this.keyPath = transformer.contract(job.entity(), system).keyPath();
        this.mapper = mapper;
    }

    List<StagedRecord> stage(List<Map<String, Object>> page) throws JsonProcessingException {
        List<StagedRecord> staged = new ArrayList<>(page.size());
        for (Map<String, Object> raw : page) {
            StagedRecord record = stage(raw);
            if (record != null) {
                staged.add(record);
            }
        }
        return staged;
    }

    private StagedRecord stage(Map<String, Object> raw) throws JsonProcessingException {
        Map<String, Object> fields;
        try {
            fields = transformer.toCanonical(job.entity(), system, raw).fields();
        } catch (RecordHeldException e) {
            fields = e.record().fields();
        } catch (RecordRejectedException e) {
            Object key = FieldPaths.get(raw, keyPath);
            if (key == null) {
                return null;
            }
            Map<String, Object> reasons = new TreeMap<>(Map.of(REJECTED_FIELD, String.join("; ", e.problems())));
            return new StagedRecord(key.toString(), "rejected", null, mapper.writeValueAsString(reasons));
        }
        Object key = fields.get(job.keyField());
        if (key == null) {
            key = FieldPaths.get(raw, keyPath);
        }
        if (key == null) {
            return null;
        }
        Map<String, Object> compared = new TreeMap<>();
        for (String field : job.compare()) {
            CanonicalField declared = entity.fields().get(field);
            compared.put(field, ComparableValues.normalise(fields.get(field), declared == null ? null : declared.type()));
        }
        Instant recordAt = job.timestampField() == null ? null : ComparableValues.toInstant(fields.get(job.timestampField()));
        return new StagedRecord(key.toString(), VersionHasher.hash(compared), recordAt, mapper.writeValueAsString(compared));
    }

    /** For building review items: a staged record's values back as a canonical record. */
    static CanonicalRecord canonical(String entity, String system, String key, Map<String, Object> values, String hash) {
        return new CanonicalRecord(entity, system, key, values, hash, null);
    }
}
