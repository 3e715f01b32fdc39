package io.syncline.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.FieldPaths;
import io.syncline.mapping.RecordTransformer;
import io.syncline.model.EntityDefinition;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The master's quantity pushed on to the other systems, for an entity whose quantity says
 * {@code write: master} (docs/adr/0019): a change the master took from another system's event (an
 * order) is followed, in the same transaction, by an inbox event from the master, origin
 * {@code resync}, carrying the master's record with the quantity it now holds. That event is
 * applied to every other system, the order's own channel too, and sets each to the master's
 * value. The master's events of one record are applied in the order of their inbox ids, which is
 * the order its changes committed in (each is stored while its addition holds the master's row),
 * so the last one applied carries the total of every change: whatever a channel sold or was
 * written meanwhile, every system ends at the master's quantity once each order is applied.
 */
@ApplicationScoped
public class QuantityPushes {

    /** Where the master's events go in: the route the inbox counts them under, and the endpoint that applies them. */
    public record Intake(String routeId, String applyEndpoint) {
    }

    @Inject
    PushedEvents inbox;
    @Inject
    SensitiveValues sensitive;
    @Inject
    ObjectMapper mapper;

    /** By entity: the intake of its master's events, for entities whose quantity is set from the master. */
    private volatile Map<String, Intake> intakes = Map.of();

    /** The intakes the model's routes made, by entity. */
    public void made(Map<String, Intake> made) {
        intakes = Map.copyOf(made);
    }

    /** Whether the entity has a quantity whose other systems are set to the master's value ({@code write: master}). */
    public static boolean setFromMaster(EntityDefinition entity) {
        return entity.master() != null && entity.fields().values().stream()
                .anyMatch(field -> field != null && field.isQuantity() && field.quantity().setFromMaster());
    }

    /**
     * In the unit's transaction, after the master's record state is saved: the master's record, as
     * it now holds it, put into the inbox for the other systems, when the unit added a change to the
     * master's quantity that came from another system.
     */
    void afterMaster(SyncUnit unit, EntityDefinition entity, RecordTransformer transformer, RecordState master)
            throws SQLException {
        Intake intake = intakes.get(unit.entity());
        if (intake == null || !unit.target().equals(entity.master()) || unit.record().sourceSystem().equals(entity.master())
                || unit.resync() || unit.quantitiesHeld().isEmpty() || unit.record().deleted()) {
            return;
        }
        Map<String, Object> values = new LinkedHashMap<>(master.fieldValues());
        // a change field is no value of the master's; a sensitive field's digest is no value to push
        entity.fields().forEach((name, field) -> {
            if (field == null || field.isChange()) {
                values.remove(name);
            }
        });
        values.keySet().removeAll(sensitive.fields(unit.entity()));
        Map<String, Object> payload = transformer.toSystem(unit.entity(), entity.master(), values);
        FieldPaths.set(payload, transformer.contract(unit.entity(), entity.master()).keyPath(), unit.targetId());
        String eventId = "quantity:" + unit.record().sourceSystem() + ":" + unit.eventKey();
        inbox.store(unit.writes(), intake.routeId(), intake.applyEndpoint(), unit.entity(), entity.master(), unit.targetId(),
                eventId.length() > 200 ? eventId.substring(0, 200) : eventId, json(payload), ExchangeContract.ORIGIN_RESYNC);
        unit.afterCommit(inbox::stored);
    }

    private String json(Map<String, Object> payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the master's quantity as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
