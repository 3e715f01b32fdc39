package io.syncline.connector;

import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.load.CompiledModel;
import io.syncline.state.RecordState;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.util.List;
import java.util.Map;

/**
 * The target stages of a type that writes one record at a time, each write committed by the
 * system itself ({@link SystemType#create}, {@link SystemType#update}, {@link SystemType#delete}).
 * Matching searches the system where the type can ({@link Ability#SEARCH}) and compares with its
 * current values where it reads them back ({@link Ability#READ_BACK}), else with what Syncline
 * last wrote there. A created record's id is linked in the ID map at once, on a connection of its
 * own: should the sync unit then fail, the retry updates that record instead of creating a
 * second one.
 */
final class RecordTargetStages implements TargetStages {

    private final SystemType type;
    private final Context context;
    private final boolean searches;
    private final boolean readsBack;

    RecordTargetStages(SystemType type, Context context) {
        this.type = type;
        this.context = context;
        this.searches = type.abilities().contains(Ability.SEARCH);
        this.readsBack = type.abilities().contains(Ability.READ_BACK);
    }

    @Override
    public void match(Exchange exchange) throws Exception {
        CompiledModel model = context.registry().current();
        ApplyEvents.forEachAdmitted(exchange, event -> context.matching().match(event, model.matcher(SyncUnit.of(event).entity()),
                new TargetMatching.Lookup() {
                    @Override
                    public List<MatchCandidate> search(SyncUnit unit) throws Exception {
                        return searches ? type.search(unit.target(), unit.record()) : List.of();
                    }

                    @Override
                    public boolean readsBack() {
                        return readsBack;
                    }

                    @Override
                    public Map<String, Object> current(SyncUnit unit, String id) throws Exception {
                        return readsBack ? SystemTypes.canonical(model, type, unit.entity(), unit.target(), id).orElse(null) : null;
                    }
                }));
    }

    @Override
    public void write(Exchange exchange) throws Exception {
        ApplyEvents.forEachAdmitted(exchange, this::writeEvent);
    }

    private void writeEvent(Exchange exchange) throws Exception {
        SyncUnit unit = SyncUnit.of(exchange);
        unit.outsideTransaction("Writing " + unit.target() + " (type " + type.name() + ")");
        CanonicalRecord record = unit.record();
        if (record.deleted()) {
            if (unit.targetId() == null) {
                unit.note(unit.target() + " has no such record");
            } else if (!type.delete(record.entity(), unit.target(), unit.targetId())) {
                unit.note(unit.target() + " had deleted it already");
            }
            unit.written(unit.targetId(), AuditEntry.Action.DELETED, null);
            return;
        }
        Map<String, Object> before = unit.targetValues() != null ? unit.targetValues()
                : unit.targetState().map(RecordState::fieldValues).orElse(null);
        Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(before, unit.values());
        if (unit.targetId() != null && before != null && diff.isEmpty()) {
            unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, diff);
            return;
        }
        Map<String, Object> row = context.registry().current().transformer().toSystem(record.entity(), unit.target(), unit.values());
        String id = unit.targetId();
        if (id == null) {
            id = type.create(record.entity(), unit.target(), row);
        } else {
            type.update(record.entity(), unit.target(), id, row);
        }
        if (!unit.linked()) {
            context.idMap().link(record.entity(), record.canonicalId(), unit.target(), id);
        }
        unit.written(id, unit.targetId() == null ? AuditEntry.Action.CREATED : AuditEntry.Action.UPDATED, diff);
    }
}
