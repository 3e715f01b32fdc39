package io.syncline.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.config.SynclineConfig;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.ConfigEnvironment;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.state.RecordState;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.util.Map;

/**
 * Writes records to REST systems ({@code type: rest}), as the model's mapping of the entity
 * for that system says: {@code resource} (the collection path under {@code baseUrl}),
 * {@code key} (where the system's id is in its records and in a create's answer) and
 * {@code write} (the HTTP methods; POST to create and PATCH to update by default).
 *
 * <p>In the apply template, {@link #match(Exchange)} and {@link #write(Exchange)} are the target
 * stage around the conflict processor (route-templates/apply.camel.yaml), the bean of both its
 * {@code matcher} and its {@code writer} (a REST match is only an ID map lookup);
 * {@link #send(String, String, Map, String)} and {@link #delete(String, String, String)} are
 * the plain calls under them: without an id the record is created ({@code POST
 * {baseUrl}{resource}}), with one it is updated ({@code PATCH {baseUrl}{resource}/{id}}); a
 * record already gone counts as deleted, so a replayed delete is harmless.
 *
 * <p>Failures are thrown for the inbox to act on: {@link TargetUnavailableException} (no
 * answer, timeout, 408, 429, 5xx; retried, no earlier than {@code Retry-After}) and
 * {@link TargetRejectedException} (other 4xx, with the provider's message; a dead letter at
 * once). A model that does not allow the write (not a REST system, no {@code resource}) is an
 * {@link IllegalArgumentException}.
 *
 * <p>REST targets are found through the ID map only: a record the map does not know is
 * created. Searching a provider for a matching record (by e-mail, …) needs its own search API
 * and is not done here.
 */
@ApplicationScoped
@Named("HttpTargetWriter")
@RegisterForReflection
public class HttpTargetWriter {

    private final SyncModelRegistry registry;
    private final IdMapRepository idMap;
    private final HttpTargetClient client;

    public HttpTargetWriter(SyncModelRegistry registry, IdMapRepository idMap, SynclineConfig config, ObjectMapper json) {
        this.registry = registry;
        this.idMap = idMap;
        this.client = new HttpTargetClient(config.http().connectTimeout(), config.http().requestTimeout(),
                new ConfigEnvironment(), json, Clock.systemUTC());
    }

    /**
     * Creates ({@code targetId} null) or updates the system-shaped {@code row} in {@code system}.
     *
     * @param row      the record in the system's shape, nested as its API expects ({@code {"properties": {...}}})
     * @param targetId the record's id in {@code system} from the ID map, or null when it has none there yet
     */
    public HttpWriteResult send(String entity, String system, Map<String, Object> row, String targetId) {
        RestTarget target = RestTarget.of(registry.current().model(), entity, system);
        return targetId == null ? client.create(target, row) : client.update(target, targetId, row);
    }

    /** The record {@code id} of {@code entity} in {@code system}, in the system's shape; empty when it has none. */
    public java.util.Optional<Map<String, Object>> read(String entity, String system, String id) {
        return client.read(RestTarget.of(registry.current().model(), entity, system), id);
    }

    /** Deletes the record {@code targetId} of {@code entity} from {@code system}. */
    public HttpWriteResult delete(String entity, String system, String targetId) {
        return client.delete(RestTarget.of(registry.current().model(), entity, system), targetId);
    }

    /**
     * The target stage's first step in an apply route ({@code bean: {ref: HttpTargetWriter, method: match}}):
     * the record's id in the REST system, by the ID map. A REST system is not searched and its
     * current values are not read, so the conflict processor compares with what Syncline last
     * wrote there.
     */
    public void match(Exchange exchange) {
        ApplyEvents.forEachAdmitted(exchange, this::matchEvent);
    }

    private void matchEvent(Exchange exchange) {
        SyncUnit unit = SyncUnit.of(exchange);
        CanonicalRecord record = unit.record();
        String id = idMap.systemId(record.entity(), record.canonicalId(), unit.target()).orElse(null);
        unit.matched(id, null, id == null ? null : "idMap");
    }

    /**
     * The target stage's write ({@code bean: {ref: HttpTargetWriter, method: write}}): creates, updates or
     * deletes the resolved values. A created record's id is linked in the ID map at once, on a
     * connection of its own: should the sync unit then fail, the retry updates that record
     * instead of creating a second one.
     */
    public void write(Exchange exchange) {
        ApplyEvents.forEachAdmitted(exchange, this::writeEvent);
    }

    private void writeEvent(Exchange exchange) {
        SyncUnit unit = SyncUnit.of(exchange);
        unit.outsideTransaction("Writing " + unit.target() + " over HTTP");
        CanonicalRecord record = unit.record();
        Map<String, Object> before = unit.targetState().map(RecordState::fieldValues).orElse(null);
        if (record.deleted()) {
            if (unit.targetId() != null) {
                delete(record.entity(), unit.target(), unit.targetId());
            } else {
                unit.note(unit.target() + " has no such record");
            }
            unit.written(unit.targetId(), AuditEntry.Action.DELETED, null);
            return;
        }
        Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(before, unit.values());
        if (unit.targetId() != null && before != null && diff.isEmpty()) {
            unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, diff);
            return;
        }
        Map<String, Object> row = registry.current().transformer().toSystem(record.entity(), unit.target(), unit.values());
        HttpWriteResult result = send(record.entity(), unit.target(), row, unit.targetId());
        if (result.action() == HttpWriteResult.Action.CREATED) {
            idMap.link(record.entity(), record.canonicalId(), unit.target(), result.targetId());
        }
        unit.written(result.targetId(), result.action() == HttpWriteResult.Action.CREATED
                ? AuditEntry.Action.CREATED : AuditEntry.Action.UPDATED, diff);
    }
}
