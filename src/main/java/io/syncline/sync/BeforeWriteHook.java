package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordRejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The apply template's {@code beforeWrite} hook point: {@link #open} gives the hook the values
 * about to be written as its body (a mutable map, canonical field to value, as the conflict
 * processor resolved them); {@link #close} takes the map the hook leaves as the values to write.
 * A field the hook changed is noted in the audit entry as the hook's change; a field the entity
 * does not declare rejects the record. The body is the canonical record again afterwards. A
 * batch's exchange (a mapping without hooks) passes untouched.
 */
@ApplicationScoped
@Named("BeforeWriteHook")
@RegisterForReflection
public class BeforeWriteHook {

    @Inject
    SyncModelRegistry registry;

    public void open(Exchange exchange) {
        if (ApplyEvents.batch(exchange)) {
            return;
        }
        SyncUnit unit = SyncUnit.of(exchange);
        exchange.setProperty(ExchangeContract.HOOK_RECORD, exchange.getMessage().getBody());
        exchange.getMessage().setBody(unit.values() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(unit.values()));
    }

    /** @param hook the hook's endpoint, named in the audit entry */
    public void close(String hook, Exchange exchange) {
        if (ApplyEvents.batch(exchange)) {
            return;
        }
        SyncUnit unit = SyncUnit.of(exchange);
        Object left = exchange.getMessage().getBody();
        exchange.getMessage().setBody(exchange.getProperty(ExchangeContract.HOOK_RECORD, CanonicalRecord.class));
        exchange.removeProperty(ExchangeContract.HOOK_RECORD);
        if (!(left instanceof Map<?, ?> values) || unit.values() == null || values.equals(unit.values())) {
            return;
        }
        Set<String> declared = registry.current().transformer().entity(unit.entity()).fields().keySet();
        Map<String, Object> changed = new LinkedHashMap<>(unit.values());
        List<String> fields = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        values.forEach((field, value) -> {
            String name = String.valueOf(field);
            if (!declared.contains(name)) {
                unknown.add("hook " + hook + " set '" + name + "', which " + unit.entity() + " does not declare");
            } else if (!Objects.equals(changed.get(name), value)) {
                changed.put(name, value);
                fields.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new RecordRejectedException(unit.entity(), unit.record().sourceSystem(), unknown);
        }
        if (!fields.isEmpty()) {
            unit.resolved(changed, unit.valueSources(), unit.conflicts());
            unit.note("beforeWrite hook " + hook + " changed " + String.join(", ", fields));
        }
    }
}
