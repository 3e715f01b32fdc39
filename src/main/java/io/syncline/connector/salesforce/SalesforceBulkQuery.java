package io.syncline.connector.salesforce;

import org.apache.camel.Message;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SOQL query run as a Bulk API 2.0 query job through the org's component: the job made
 * ({@code bulk2CreateQueryJob}), its state polled ({@code bulk2GetQueryJob}) with a growing pause
 * until {@code JobComplete}, within a bounded wait, and its results read as CSV pages of
 * {@code maxRecords} records ({@code bulk2GetQueryJobResults}), each page's
 * {@code Sforce-Locator} naming the next until it is {@code null}. Each CSV row becomes the
 * record the REST query gives: a relationship path's column ({@code Account.Name}) a nested
 * record, null when all its fields are empty, an empty field null. Values stay text, as CSV has
 * them.
 */
public final class SalesforceBulkQuery {

    private final SalesforceClient client;
    private final BulkJobs jobs;

    /** What takes each page of records. */
    @FunctionalInterface
    public interface Sink {

        void accept(List<Map<String, Object>> records) throws Exception;
    }

    /** The sink failed: the pull stops. */
    public static final class SinkFailedException extends Exception {

        SinkFailedException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** A job read to its end: its id, the records read, and how many Salesforce says it processed. */
    public record Result(String jobId, long pages, long records, Long reported) {
    }

    /**
     * @param firstPause   the pause before the first poll of the job's state, doubled after each poll
     * @param longestPause the longest pause between polls
     * @param longestWait  how long the job may take before the query fails
     */
    public SalesforceBulkQuery(SalesforceClient client, Duration firstPause, Duration longestPause, Duration longestWait) {
        this.client = client;
        this.jobs = new BulkJobs(firstPause, longestPause, longestWait);
    }

    /** Runs {@code soql} as a query job and hands its records to {@code sink} in pages of at most {@code pageSize}. */
    public Result query(SalesforceClient.Target org, String soql, int pageSize, Sink sink)
            throws SalesforceCallException, SinkFailedException, InterruptedException {
        QueryJob job = new QueryJob();
        job.setOperation(OperationEnum.QUERY);
        job.setQuery(soql);
        QueryJob made = client.operation(org, "bulk2CreateQueryJob", Map.of(), job).getBody(QueryJob.class);
        if (made == null || made.getId() == null) {
            throw new SalesforceCallException(0, null, "bulk2CreateQueryJob: Salesforce answered no job id", null);
        }
        QueryJob done = awaitCompletion(org, made.getId());
        String locator = null;
        long pages = 0;
        long records = 0;
        do {
            Map<String, Object> headers = new LinkedHashMap<>();
            headers.put("jobId", made.getId());
            headers.put("maxRecords", org.settings().bulkPageSizeOrDefault());
            if (locator != null) {
                headers.put("locator", locator);
            }
            Message page = client.operation(org, "bulk2GetQueryJobResults", headers, null);
            List<Map<String, Object>> rows = rows(page.getBody(InputStream.class));
            String count = page.getHeader("Sforce-NumberOfRecords", String.class);
            if (count != null && Long.parseLong(count.trim()) != rows.size()) {
                throw new SalesforceCallException(0, null, "bulk2GetQueryJobResults: job " + made.getId() + " page " + (pages + 1)
                        + " says Sforce-NumberOfRecords " + count + " but holds " + rows.size() + " records", null);
            }
            for (int from = 0; from < rows.size(); from += pageSize) {
                try {
                    sink.accept(rows.subList(from, Math.min(rows.size(), from + pageSize)));
                } catch (Exception e) {
                    throw new SinkFailedException(e);
                }
            }
            pages++;
            records += rows.size();
            locator = page.getHeader("Sforce-Locator", String.class);
        } while (locator != null && !locator.isBlank() && !"null".equals(locator));
        return new Result(made.getId(), pages, records, done.getNumberRecordsProcessed());
    }

    /** The job polled until it is complete; thrown when it failed, was aborted or runs past the longest wait. */
    private QueryJob awaitCompletion(SalesforceClient.Target org, String jobId) throws SalesforceCallException, InterruptedException {
        QueryJob job = jobs.await(() -> client.operation(org, "bulk2GetQueryJob", Map.of("jobId", jobId), null).getBody(QueryJob.class),
                ended -> ended != null && (ended.getState() == JobStateEnum.JOB_COMPLETE || ended.getState() == JobStateEnum.FAILED
                        || ended.getState() == JobStateEnum.ABORTED),
                last -> {
                    throw new SalesforceCallException(0, null, "Bulk API 2.0 query job " + jobId + " did not complete within "
                            + jobs.longestWait() + " (last state " + (last == null || last.getState() == null ? "unknown"
                                    : last.getState().name())
                            + ")", null);
                });
        if (job.getState() != JobStateEnum.JOB_COMPLETE) {
            throw new SalesforceCallException(0, job.getState().name(), "Bulk API 2.0 query job " + jobId + " ended "
                    + job.getState().name(), null);
        }
        return job;
    }

    /** A CSV page as records: header names as paths, an empty field null. */
    static List<Map<String, Object>> rows(InputStream csv) throws SalesforceCallException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, String> row : BulkJobs.rows(csv, "bulk2GetQueryJobResults")) {
            records.add(record(row));
        }
        return records;
    }

    private static Map<String, Object> record(Map<String, String> row) {
        Map<String, Object> record = new LinkedHashMap<>();
        row.forEach((column, text) -> {
            Object value = text == null || text.isEmpty() ? null : text;
            int dot = column.indexOf('.');
            if (dot < 0) {
                record.put(column, value);
                return;
            }
            String relationship = column.substring(0, dot);
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = record.get(relationship) instanceof Map<?, ?> existing
                    ? (Map<String, Object>) existing : new LinkedHashMap<>();
            nested.put(column.substring(dot + 1), value);
            record.put(relationship, nested);
        });
        // a relationship whose fields are all empty is no related record, as the REST query says with null
        record.replaceAll((field, value) -> value instanceof Map<?, ?> nested && nested.values().stream().allMatch(v -> v == null)
                ? null : value);
        return record;
    }
}
