package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.api.dto.bulkv2.JobStateEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.OperationEnum;
import org.apache.camel.component.salesforce.api.dto.bulkv2.QueryJob;

import java.io.IOException;
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

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema HEADER = CsvSchema.emptySchema().withHeader();

    private final SalesforceClient client;
    private final Duration firstPause;
    private final Duration longestPause;
    private final Duration longestWait;

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
        this.firstPause = firstPause;
        this.longestPause = longestPause;
        this.longestWait = longestWait;
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

    private QueryJob awaitCompletion(SalesforceClient.Target org, String jobId) throws SalesforceCallException, InterruptedException {
        long deadline = System.nanoTime() + longestWait.toNanos();
        Duration pause = firstPause;
        while (true) {
            Thread.sleep(pause.toMillis());
            QueryJob job = client.operation(org, "bulk2GetQueryJob", Map.of("jobId", jobId), null).getBody(QueryJob.class);
            JobStateEnum state = job == null ? null : job.getState();
            if (state == JobStateEnum.JOB_COMPLETE) {
                return job;
            }
            if (state == JobStateEnum.FAILED || state == JobStateEnum.ABORTED) {
                throw new SalesforceCallException(0, state.name(), "Bulk API 2.0 query job " + jobId + " ended " + state.name(), null);
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new SalesforceCallException(0, null, "Bulk API 2.0 query job " + jobId + " did not complete within "
                        + longestWait + " (last state " + (state == null ? "unknown" : state.name()) + ")", null);
            }
            pause = pause.multipliedBy(2).compareTo(longestPause) > 0 ? longestPause : pause.multipliedBy(2);
        }
    }

    /** A CSV page as records: header names as paths, an empty field null. */
    static List<Map<String, Object>> rows(InputStream csv) throws SalesforceCallException {
        List<Map<String, Object>> records = new ArrayList<>();
        if (csv == null) {
            return records;
        }
        try (csv; MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class).with(HEADER).readValues(csv)) {
            while (rows.hasNext()) {
                records.add(record(rows.next()));
            }
        } catch (IOException | RuntimeException e) {
            throw new SalesforceCallException(0, null, "bulk2GetQueryJobResults: the CSV could not be read: " + e.getMessage(), e);
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
