package io.syncline.connector.salesforce;

import org.apache.camel.component.salesforce.api.dto.bulkv2.ColumnDelimiterEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.ContentTypeEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.Job;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.LineEndingEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records of one object written as Bulk API 2.0 ingest jobs through the org's component: a job
 * made ({@code bulk2CreateJob}: update by {@code Id}, or upsert by an external id field), the
 * records uploaded as one CSV ({@code bulk2CreateBatch}, at most {@value #MAX_UPLOAD_BYTES}
 * bytes, a larger set split over several jobs), the upload closed ({@code bulk2CloseJob}), the
 * job's state polled ({@code bulk2GetJob}) with a growing pause until it is {@code JobComplete},
 * {@code Failed} or {@code Aborted}, and its results read ({@code bulk2GetSuccessfulResults},
 * {@code bulk2GetFailedResults}, {@code bulk2GetUnprocessedRecords}). A job still running at
 * the bound is aborted before its results are read.
 *
 * <p>Each record gets a result of its own, in the order given, as a collection call gives them:
 * saved ({@code sf__Id}, {@code sf__Created}), refused with Salesforce's {@code sf__Error}, or
 * {@link SaveResult#NOT_PROCESSED} (left unprocessed by a job that failed, was aborted or gave no
 * result for it), which may succeed later. Results are matched to records by the record's key
 * column ({@code Id}, or the external id field), as Salesforce keeps no order.
 */
final class SalesforceBulkIngest {

    private static final Logger LOG = Logger.getLogger(SalesforceBulkIngest.class);
    /**
     * Bytes of CSV in one job's upload: Salesforce takes 150 MB after it base64-encodes the data,
     * about 100 MB before, and advises staying under that.
     */
    static final int MAX_UPLOAD_BYTES = 100_000_000;
    /** How Bulk API 2.0 CSV sets a field to null: an empty field leaves it as it is. */
    static final String NULL = "#N/A";

    private final SalesforceClient client;
    private final BulkJobs jobs;
    private final int maxUploadBytes;

    /**
     * @param firstPause   the pause before the first poll of a job's state, doubled after each poll
     * @param longestPause the longest pause between polls
     * @param longestWait  how long a job may run before it is aborted
     */
    SalesforceBulkIngest(SalesforceClient client, Duration firstPause, Duration longestPause, Duration longestWait) {
        this(client, firstPause, longestPause, longestWait, MAX_UPLOAD_BYTES);
    }

    SalesforceBulkIngest(SalesforceClient client, Duration firstPause, Duration longestPause, Duration longestWait,
            int maxUploadBytes) {
        this.client = client;
        this.jobs = new BulkJobs(firstPause, longestPause, longestWait);
        this.maxUploadBytes = maxUploadBytes;
    }

    /**
     * The first ingest job could not be made ({@code POST /jobs/ingest} refused, e.g. 404 where the
     * org has no Bulk API 2.0): nothing was written, and the records may go by sObject Collections.
     */
    static final class NotStartedException extends Exception {

        NotStartedException(SalesforceCallException call) {
            super(call.getMessage(), call);
        }

        SalesforceCallException call() {
            return (SalesforceCallException) getCause();
        }
    }

    /** What a write through ingest jobs came to: each record's result in order, and the jobs' ids. */
    record Outcome(List<SaveResult> results, List<String> jobs) {
    }

    /**
     * Writes {@code records} ({@code Id} in each for an update; {@code field} in each for an upsert).
     *
     * @throws NotStartedException     the first job could not be made: nothing was written
     * @throws SalesforceCallException a job could not be made, loaded or read: none of its records is known written
     */
    Outcome write(SalesforceClient.Target org, SalesforceClient.Collection operation, String field,
            List<Map<String, Object>> records) throws SalesforceCallException, NotStartedException, InterruptedException {
        if (operation != SalesforceClient.Collection.UPDATE && operation != SalesforceClient.Collection.UPSERT) {
            throw new IllegalArgumentException("Ingest jobs write updates and upserts, not " + operation);
        }
        String key = operation == SalesforceClient.Collection.UPDATE ? "Id" : field;
        records = records.stream().map(SalesforceBulkIngest::cells).toList();
        List<String> columns = columns(records, key);
        List<SaveResult> results = new ArrayList<>(records.size());
        List<String> jobs = new ArrayList<>();
        int from = 0;
        while (from < records.size()) {
            String header = line(columns);
            StringBuilder csv = new StringBuilder(header);
            long size = bytes(header);
            int to = from;
            while (to < records.size()) {
                String row = row(columns, records.get(to));
                long rowSize = bytes(row);
                if (to > from && size + rowSize > maxUploadBytes) {
                    break;
                }
                csv.append(row);
                size += rowSize;
                to++;
            }
            List<Map<String, Object>> part = records.subList(from, to);
            try {
                jobs.add(job(org, operation, field, key, csv.toString(), part, results));
            } catch (NotStartedException e) {
                if (!jobs.isEmpty()) {
                    // records of the jobs before were written: the write failed as a whole part of the way
                    throw e.call();
                }
                throw e;
            }
            from = to;
        }
        return new Outcome(results, jobs);
    }

    private String job(SalesforceClient.Target org, SalesforceClient.Collection operation, String field, String key, String csv,
            List<Map<String, Object>> records, List<SaveResult> results)
            throws SalesforceCallException, NotStartedException, InterruptedException {
        Job job = new Job();
        job.setObject(org.sobject());
        job.setOperation(operation == SalesforceClient.Collection.UPDATE ? OperationEnum.UPDATE : OperationEnum.UPSERT);
        if (operation == SalesforceClient.Collection.UPSERT) {
            job.setExternalIdFieldName(field);
        }
        job.setContentType(ContentTypeEnum.CSV);
        job.setLineEnding(LineEndingEnum.LF);
        job.setColumnDelimiter(ColumnDelimiterEnum.COMMA);
        Job made;
        try {
            made = client.operation(org, "bulk2CreateJob", Map.of(), job).getBody(Job.class);
        } catch (SalesforceCallException e) {
            throw new NotStartedException(e);
        }
        if (made == null || made.getId() == null) {
            throw new NotStartedException(new SalesforceCallException(0, null, "bulk2CreateJob: Salesforce answered no job id",
                    null));
        }
        String id = made.getId();
        client.operation(org, "bulk2CreateBatch", Map.of("jobId", id),
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        client.operation(org, "bulk2CloseJob", Map.of("jobId", id), null);
        Job done = awaitEnd(org, id);
        String why = done.getState() == JobStateEnum.JOB_COMPLETE ? "Salesforce gave no result for this record"
                : "job " + id + " ended " + done.getState().name()
                        + (done.getErrorMessage() == null ? "" : " (" + done.getErrorMessage() + ")") + " before processing this record";
        Map<String, Deque<Integer>> byKey = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byKey.computeIfAbsent(String.valueOf(records.get(i).get(key)), k -> new ArrayDeque<>()).add(i);
        }
        SaveResult[] found = new SaveResult[records.size()];
        for (Map<String, String> row : BulkJobs.rows(client.operation(org, "bulk2GetSuccessfulResults", Map.of("jobId", id), null)
                .getBody(InputStream.class), "bulk2GetSuccessfulResults")) {
            place(found, byKey, row.get(key), SaveResult.saved(row.get("sf__Id"), "true".equalsIgnoreCase(row.get("sf__Created"))));
        }
        for (Map<String, String> row : BulkJobs.rows(client.operation(org, "bulk2GetFailedResults", Map.of("jobId", id), null)
                .getBody(InputStream.class), "bulk2GetFailedResults")) {
            place(found, byKey, row.get(key), failed(row.get("sf__Error")));
        }
        // what is neither saved nor refused was not processed: the unprocessed records are read
        // for Salesforce's count only, as every record without a result is retried alike
        int unprocessed = BulkJobs.rows(client.operation(org, "bulk2GetUnprocessedRecords", Map.of("jobId", id), null)
                .getBody(InputStream.class), "bulk2GetUnprocessedRecords").size();
        int missing = 0;
        for (SaveResult result : found) {
            if (result == null) {
                missing++;
                results.add(SaveResult.failed(SaveResult.NOT_PROCESSED, why));
            } else {
                results.add(result);
            }
        }
        if (missing > 0) {
            LOG.debugf("Salesforce system %s: ingest job %s ended %s with %d of %d records unprocessed (%d listed as such)",
                    org.system(), id, done.getState().name(), missing, records.size(), unprocessed);
        }
        return id;
    }

    private static void place(SaveResult[] found, Map<String, Deque<Integer>> byKey, String key, SaveResult result) {
        Deque<Integer> indexes = byKey.get(key == null ? "null" : key);
        Integer index = indexes == null ? null : indexes.poll();
        if (index != null) {
            found[index] = result;
        }
    }

    /** {@code sf__Error}: {@code REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --}. */
    static SaveResult failed(String error) {
        String text = error == null ? "" : error.trim().replaceFirst("\\s*--$", "");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return SaveResult.failed("UNKNOWN_ERROR", text);
        }
        return SaveResult.failed(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The job polled until it is complete, failed or aborted; aborted when it runs past the longest wait. */
    private Job awaitEnd(SalesforceClient.Target org, String id) throws SalesforceCallException, InterruptedException {
        return jobs.await(() -> client.operation(org, "bulk2GetJob", Map.of("jobId", id), null).getBody(Job.class), job -> {
            JobStateEnum state = job == null ? null : job.getState();
            return state == JobStateEnum.JOB_COMPLETE || state == JobStateEnum.FAILED || state == JobStateEnum.ABORTED;
        }, last -> {
            LOG.warnf("Salesforce system %s: ingest job %s did not end within %s (state %s): aborting it", org.system(), id,
                    jobs.longestWait(), last == null || last.getState() == null ? "unknown" : last.getState().name());
            Job aborted = client.operation(org, "bulk2AbortJob", Map.of("jobId", id), null).getBody(Job.class);
            if (aborted == null || aborted.getState() == null) {
                aborted = new Job();
                aborted.setState(JobStateEnum.ABORTED);
            }
            aborted.setErrorMessage("it did not end within " + jobs.longestWait());
            return aborted;
        });
    }

    /**
     * A record's cells: a relationship by a parent's external id ({@code "Account": {"Ext_Id__c":
     * "acme-42"}}) as the column Bulk API 2.0 takes for it, {@code Account.Ext_Id__c}.
     */
    private static Map<String, Object> cells(Map<String, Object> record) {
        if (record.values().stream().noneMatch(Map.class::isInstance)) {
            return record;
        }
        Map<String, Object> cells = new LinkedHashMap<>();
        record.forEach((field, value) -> {
            if (value instanceof Map<?, ?> related) {
                related.forEach((parentField, id) -> cells.put(field + "." + parentField, id));
            } else {
                cells.put(field, value);
            }
        });
        return cells;
    }

    /** The columns of the upload: the key first, then every field any record has, in order of first appearance. */
    private static List<String> columns(List<Map<String, Object>> records, String key) {
        Set<String> columns = new LinkedHashSet<>();
        columns.add(key);
        records.forEach(record -> columns.addAll(record.keySet()));
        return List.copyOf(columns);
    }

    private static String line(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (String value : values) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        }
        return line.append('\n').toString();
    }

    private static String row(List<String> columns, Map<String, Object> record) {
        List<String> values = new ArrayList<>(columns.size());
        for (String column : columns) {
            Object value = record.get(column);
            values.add(value == null ? NULL : String.valueOf(value));
        }
        return line(values);
    }

    private static long bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
