package io.syncline.tombstone;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.RecordTransformer;
import io.syncline.sync.ApplyEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The apply templates' privacy guard, right after the transformer
 * ({@code process: {ref: ErasedSubjectGuard}}): a record whose id or match keys match an erased
 * person's tombstone goes no further ({@link SubjectErasedException}; the inbox keeps the event as
 * {@code refused}, without its payload, and audits it). Reconciliation's auto-fixes ask
 * {@link #admitFix} before they enqueue. With no tombstone in force it computes nothing.
 */
@ApplicationScoped
@Named("ErasedSubjectGuard")
@RegisterForReflection
public class ErasedSubjectGuard implements Processor {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    Tombstones tombstones;
    @Inject
    SubjectDigests digests;
    @Inject
    SyncModelRegistry registry;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper json;

    @Override
    public void process(Exchange exchange) throws Exception {
        if (!tombstones.any()) {
            return;
        }
        RecordTransformer transformer = registry.current().transformer();
        ApplyEvents.forEach(exchange, event -> {
            CanonicalRecord record = event.getMessage().getMandatoryBody(CanonicalRecord.class);
            erasedBy(record, transformer).ifPresent(request -> {
                throw new SubjectErasedException(record.entity(), record.sourceSystem(), request);
            });
        });
    }

    /**
     * Before a reconciliation enqueues an auto-fix of the master's values ({@code payload}, in the
     * master's shape): refuses and audits one that would recreate an erased person.
     *
     * @throws SubjectErasedException the fix is refused
     */
    public void admitFix(String entity, String system, String key, String payload, String routeId)
            throws SQLException, IOException {
        if (!tombstones.any()) {
            return;
        }
        RecordTransformer transformer = registry.current().transformer();
        Set<String> carried = new LinkedHashSet<>();
        carried.add(digests.ofId(entity, system, key));
        carried.addAll(digests.ofValues(entity, SubjectDigests.canonicalOrRaw(transformer, entity, system,
                json.readValue(payload, MAP)), transformer.entity(entity)));
        Optional<Long> request = tombstones.erasedBy(carried);
        if (request.isPresent()) {
            SubjectErasedException refused = new SubjectErasedException(entity, system, request.get());
            audit.record(new AuditEntry(AuditEntry.Action.REFUSED, entity, null, system, key, null, null,
                    routeId, null, null, null, null, refused.getMessage()));
            throw refused;
        }
    }

    private Optional<Long> erasedBy(CanonicalRecord record, RecordTransformer transformer) {
        return tombstones.erasedBy(digests.of(record, transformer.entity(record.entity())));
    }
}
