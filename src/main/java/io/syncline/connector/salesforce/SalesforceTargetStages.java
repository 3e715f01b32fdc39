package io.syncline.connector.salesforce;

import io.syncline.audit.AuditEntry;
import io.syncline.connector.spi.BatchOutcomes;
import io.syncline.connector.spi.RecordTargetStages;
import io.syncline.exchange.ExchangeContract;
import io.syncline.sync.ParentLinks;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The apply stages of a Salesforce target. An event alone is written by one call: an upsert by
 * the external id where the entity matches by one and the mapping maps it (a retried create then
 * finds the record it made), else a create; an update of the record the ID map links; a delete.
 * A batch's events are written through sObject Collections, up to
 * {@value SalesforceClient#COLLECTION_LIMIT} records a call, {@code allOrNone=false}, each
 * record's result its own. Where every record of the batch succeeded the batch commits; else it
 * is rolled back and each event applied on its own ({@link RecordsLeftToApplyAloneException}),
 * taking the result its record got ({@link BatchOutcomes}). Where a batch holds more records of
 * one object and operation (updates, upserts) than the org's {@code bulkWriteAbove}, they are
 * written by a Bulk API 2.0 ingest job instead ({@link SalesforceBulkIngest}), each record's
 * result handled as a collection call's; where the org makes no ingest job, by collection calls. Every call's outcome is noted
 * in the record's audit entry.
 */
final class SalesforceTargetStages extends RecordTargetStages {

    private static final Logger LOG = Logger.getLogger(SalesforceTargetStages.class);

    private final SalesforceSystemType type;
    private final BatchOutcomes<SaveResult> outcomes = new BatchOutcomes<>();

    SalesforceTargetStages(SalesforceSystemType type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        SalesforceClient.Target target = type.target(unit.entity(), unit.target());
        String field = type.externalIdField(unit.entity(), unit.target());
        Object value = field == null ? null : row.get(field);
        String call = value == null ? "createSObject " + target.sobject()
                : "upsertSObject " + target.sobject() + " " + field + "=" + value;
        SaveResult result = taken(exchange, unit, row);
        if (result == null) {
            try {
                result = value == null ? type.client().create(target, type.body(unit.entity(), unit.target(), row, null))
                        : type.client().upsert(target, field, String.valueOf(value), type.body(unit.entity(), unit.target(), row, field));
            } catch (SalesforceCallException e) {
                unit.note("salesforce " + call + ": " + e.getMessage());
                throw failure(exchange, unit, e.errorCode(), e.getMessage(), SalesforceFailures.of(unit.target(), e));
            }
            unit.note("salesforce " + call + ": " + result.describe());
        }
        return result.id();
    }

    @Override
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) {
        SalesforceClient.Target target = type.target(unit.entity(), unit.target());
        if (taken(exchange, unit, row) != null) {
            return;
        }
        String call = "updateSObject " + target.sobject() + " " + id;
        try {
            type.client().update(target, id, type.body(unit.entity(), unit.target(), row, null));
        } catch (SalesforceCallException e) {
            unit.note("salesforce " + call + ": " + e.getMessage());
            throw failure(exchange, unit, e.errorCode(), e.getMessage(), SalesforceFailures.of(unit.target(), e));
        }
        unit.note("salesforce " + call + ": updated");
    }

    @Override
    protected boolean delete(Exchange exchange, SyncUnit unit) {
        SalesforceClient.Target target = type.target(unit.entity(), unit.target());
        SaveResult result = taken(exchange, unit, unit.targetId());
        if (result != null) {
            return result.success();
        }
        String call = "deleteSObject " + target.sobject() + " " + unit.targetId();
        try {
            boolean deleted = type.client().delete(target, unit.targetId());
            unit.note("salesforce " + call + ": " + (deleted ? "deleted" : "already deleted"));
            return deleted;
        } catch (SalesforceCallException e) {
            unit.note("salesforce " + call + ": " + e.getMessage());
            throw SalesforceFailures.of(unit.target(), e);
        }
    }

    /**
     * The result a collection call of the event's rolled-back batch got for exactly this write:
     * noted; thrown when it failed. Null when there is none.
     */
    private SaveResult taken(Exchange exchange, SyncUnit unit, Object write) {
        Long inboxId = exchange.getProperty(ExchangeContract.INBOX_ID, Long.class);
        BatchOutcomes.Kept<SaveResult> outcome = inboxId == null ? null
                : outcomes.take(new BatchOutcomes.Key(inboxId, unit.target()), write);
        if (outcome == null) {
            return null;
        }
        unit.note("salesforce " + outcome.call() + " (its batch's call): " + outcome.result().describe());
        if (!outcome.result().success() && !"already deleted".equals(outcome.result().message())) {
            throw failure(exchange, unit, outcome.result().errorCode(), outcome.result().message(),
                    SalesforceFailures.of(unit.target(), outcome.call(), outcome.result()));
        }
        return outcome.result();
    }

    /**
     * A write Salesforce refused, as the inbox is to take it: where the org has no record holding
     * the external id by which the record names a parent not linked in the org yet, the record
     * waits for that parent ({@link ParentLinks#waitFor}: pending, the attempt not counted, until
     * the reference's wait is over, then as its {@code missingParent} says); else {@code otherwise}.
     */
    private static RuntimeException failure(Exchange exchange, SyncUnit unit, String errorCode, String message,
            RuntimeException otherwise) {
        ParentLinks links = ParentLinks.of(exchange);
        if (links != null && SalesforceFailures.parentNotFound(errorCode, message)) {
            return links.waitFor(unit.target() + " answered " + errorCode + ": " + message).map(RuntimeException.class::cast)
                    .orElse(otherwise);
        }
        return otherwise;
    }

    /** One record of a batch bound for a collection call. */
    private record Queued(Exchange event, SyncUnit unit, Planned planned, Map<String, Object> record, Object write) {
    }

    @Override
    protected void writeBatch(Exchange batch, List<Exchange> events) throws Exception {
        Map<SalesforceClient.Collection, Map<String, List<Queued>>> calls = new EnumMap<>(SalesforceClient.Collection.class);
        int alone = 0;
        for (Exchange event : events) {
            SyncUnit unit = SyncUnit.of(event);
            Planned planned = plan(unit);
            switch (planned.kind()) {
                case UNCHANGED -> unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, planned.diff());
                case DELETE -> {
                    if (unit.targetId() == null) {
                        unit.note(unit.target() + " has no such record");
                        unit.written(null, AuditEntry.Action.DELETED, null);
                    } else {
                        queue(calls, SalesforceClient.Collection.DELETE, null,
                                new Queued(event, unit, planned, Map.of("Id", unit.targetId()), unit.targetId()));
                    }
                }
                case UPDATE -> {
                    Map<String, Object> record = new LinkedHashMap<>(type.body(unit.entity(), unit.target(), planned.row(), null));
                    record.put("Id", unit.targetId());
                    queue(calls, SalesforceClient.Collection.UPDATE, null, new Queued(event, unit, planned, record, planned.row()));
                }
                case CREATE -> {
                    String field = type.externalIdField(unit.entity(), unit.target());
                    if (field == null || planned.row().get(field) == null) {
                        alone++; // its id must be linked before anything else may happen to it
                    } else {
                        queue(calls, SalesforceClient.Collection.UPSERT, field,
                                new Queued(event, unit, planned, type.body(unit.entity(), unit.target(), planned.row(), null), planned.row()));
                    }
                }
            }
        }
        List<Runnable> keep = new ArrayList<>();
        int refused = 0;
        int retried = 0;
        for (Map.Entry<SalesforceClient.Collection, Map<String, List<Queued>>> operation : calls.entrySet()) {
            for (Map.Entry<String, List<Queued>> byTarget : operation.getValue().entrySet()) {
                List<Queued> pending = byTarget.getValue();
                List<SaveResult> results = new ArrayList<>(pending.size());
                boolean byJob = ingests(operation.getKey(), pending);
                if (byJob) {
                    try {
                        results.addAll(send(operation.getKey(), pending, keep, true));
                    } catch (SalesforceBulkIngest.NotStartedException e) {
                        // the org made no ingest job (no Bulk API 2.0 there): collection calls of 200 write the same
                        LOG.warnf("Salesforce system %s: no ingest job could be made (%s); %d records go by sObject Collections",
                                pending.get(0).unit().target(), e.getMessage(), pending.size());
                        byJob = false;
                    }
                }
                if (!byJob) {
                    for (int from = 0; from < pending.size(); from += SalesforceClient.COLLECTION_LIMIT) {
                        results.addAll(send(operation.getKey(), pending.subList(from,
                                Math.min(from + SalesforceClient.COLLECTION_LIMIT, pending.size())), keep, false));
                    }
                }
                for (SaveResult result : results) {
                    if (result.transientFailure()) {
                        retried++;
                    } else if (!result.success() && !"already deleted".equals(result.message())) {
                        refused++;
                    }
                }
            }
        }
        if (alone + refused + retried > 0) {
            // kept only for a batch about to be rolled back: its events, applied alone, take them
            keep.forEach(Runnable::run);
            throw new RecordsLeftToApplyAloneException(refused, retried, alone);
        }
    }

    private static void queue(Map<SalesforceClient.Collection, Map<String, List<Queued>>> calls,
            SalesforceClient.Collection operation, String field, Queued pending) {
        // one call per target, object and external id field: key "<target>/<field>"
        calls.computeIfAbsent(operation, key -> new LinkedHashMap<>())
                .computeIfAbsent(pending.unit().target() + "/" + (field == null ? "" : field), key -> new ArrayList<>()).add(pending);
    }

    /**
     * Whether the batch's records of one object and operation are many enough for an ingest job:
     * more than the org's {@code bulkWriteAbove}, updates or upserts (deletions stay collection calls).
     */
    private boolean ingests(SalesforceClient.Collection operation, List<Queued> pending) {
        if (operation != SalesforceClient.Collection.UPDATE && operation != SalesforceClient.Collection.UPSERT) {
            return false;
        }
        SyncUnit first = pending.get(0).unit();
        return pending.size() > type.target(first.entity(), first.target()).settings().bulkWriteAboveOrDefault();
    }

    /**
     * One collection call of a batch's records, or ingest jobs of them ({@code byJob}), each
     * result recorded on its unit; {@code keep} gets what keeps each result for the event alone,
     * should the batch be rolled back.
     */
    private List<SaveResult> send(SalesforceClient.Collection operation, List<Queued> pending, List<Runnable> keep, boolean byJob)
            throws Exception {
        SyncUnit first = pending.get(0).unit();
        SalesforceClient.Target target = type.target(first.entity(), first.target());
        String field = operation == SalesforceClient.Collection.UPSERT ? type.externalIdField(first.entity(), first.target()) : null;
        String call = (byJob ? "Bulk API 2.0 ingest " : "sObject Collections ") + operation.name().toLowerCase(Locale.ROOT) + " "
                + target.sobject() + (field == null ? "" : " by " + field) + " (" + pending.size() + " records)";
        List<Map<String, Object>> records = pending.stream().map(Queued::record).toList();
        List<SaveResult> results;
        try {
            if (byJob) {
                SalesforceBulkIngest.Outcome outcome;
                try {
                    outcome = type.ingest().write(target, operation, field, records);
                } catch (SalesforceBulkIngest.NotStartedException e) {
                    String failed = call;
                    pending.forEach(each -> each.unit().note("salesforce " + failed + ": " + e.getMessage()));
                    throw e;
                }
                call += " job " + String.join(", ", outcome.jobs());
                results = outcome.results();
            } else {
                results = type.client().collection(target, operation, field, records);
            }
        } catch (SalesforceCallException e) {
            String failed = call;
            pending.forEach(each -> each.unit().note("salesforce " + failed + ": " + e.getMessage()));
            throw SalesforceFailures.of(first.target(), e);
        }
        recorded(operation, call, pending, results, keep);
        return results;
    }

    /** Each record's result of {@code call} recorded on its unit, and kept for its event alone should the batch be rolled back. */
    private void recorded(SalesforceClient.Collection operation, String call, List<Queued> pending, List<SaveResult> results,
            List<Runnable> keep) throws Exception {
        for (int i = 0; i < pending.size(); i++) {
            Queued each = pending.get(i);
            SaveResult result = results.get(i);
            each.unit().note("salesforce " + call + ": " + result.describe());
            outcomes.keepLater(keep, each.event().getProperty(ExchangeContract.INBOX_ID, Long.class), each.unit().target(), call,
                    each.write(), result);
            if (operation == SalesforceClient.Collection.DELETE) {
                if (result.success() || "already deleted".equals(result.message())) {
                    each.unit().written(each.unit().targetId(), AuditEntry.Action.DELETED, null);
                }
            } else if (result.success()) {
                Planned planned = each.planned();
                // an upsert that found the record by its external id updated it
                Planned done = new Planned(result.created() ? Planned.Kind.CREATE : Planned.Kind.UPDATE, planned.row(), planned.diff());
                written(each.unit(), done, result.id() != null ? result.id() : each.unit().targetId());
            }
        }
    }
}
