package io.syncline.connector.sheets;

import io.syncline.connector.spi.RecordTargetStages;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The apply stages of a Google Sheets target. An event alone is its record's calls. The updates
 * of a batch go to the sheet together: one read of each table and one {@code values.batchUpdate}
 * of all their rows ({@link GoogleSheetsSystemType#updateAll}), which Sheets applies all or
 * nothing. A batch that holds a create or a delete is applied event by event before any call
 * ({@link RowsAppliedAloneException}): an append cannot be taken back should the batch be rolled
 * back. Should anything fail, the batch is rolled back and each event applied alone, which writes
 * the same cells again. A record created
 * without a value in the key column gets one made from its canonical id, so that its create
 * repeated after a rollback finds the row it appended instead of appending a second one.
 */
final class SheetsTargetStages extends RecordTargetStages {

    private final GoogleSheetsSystemType type;

    SheetsTargetStages(GoogleSheetsSystemType type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        String key = type.keyColumn(unit.entity(), unit.target());
        Map<String, Object> keyed = new LinkedHashMap<>(row);
        if (keyed.get(key) == null || keyed.get(key).toString().isBlank()) {
            keyed.put(key, UUID.nameUUIDFromBytes((unit.entity() + "/" + unit.record().canonicalId())
                    .getBytes(StandardCharsets.UTF_8)).toString());
        }
        return type.create(unit.entity(), unit.target(), keyed);
    }

    @Override
    protected void writeBatch(Exchange batch, List<Exchange> events) throws Exception {
        Map<String, List<Pending>> updates = new LinkedHashMap<>();
        int alone = 0;
        for (Pending pending : planned(events)) {
            if (pending.planned().kind() == Planned.Kind.UPDATE) {
                updates.computeIfAbsent(pending.unit().entity() + "/" + pending.unit().target(), call -> new ArrayList<>())
                        .add(pending);
            } else {
                alone++; // a create or a delete
            }
        }
        if (alone > 0) {
            throw new RowsAppliedAloneException(alone);
        }
        for (List<Pending> pending : updates.values()) {
            SyncUnit first = pending.get(0).unit();
            List<GoogleSheetsSystemType.RowUpdate> rows = pending.stream()
                    .map(each -> new GoogleSheetsSystemType.RowUpdate(each.unit().targetId(), each.planned().row())).toList();
            type.updateAll(first.entity(), first.target(), rows);
            for (Pending each : pending) {
                each.unit().note("google-sheets values.batchUpdate (" + rows.size() + " rows): updated");
                written(each.unit(), each.planned(), each.unit().targetId());
            }
        }
    }
}
