package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What Bulk API 2.0's query and ingest jobs share ({@link SalesforceBulkQuery},
 * {@link SalesforceBulkIngest}): a job's state polled with a pause that doubles from
 * {@code firstPause} up to {@code longestPause}, for at most {@code longestWait}, and the CSV
 * Salesforce answers a job's records in, read by column name.
 *
 * @param firstPause   the pause before the first poll of a job's state, doubled after each poll
 * @param longestPause the longest pause between polls
 * @param longestWait  how long a job may take before it is overdue
 */
record BulkJobs(Duration firstPause, Duration longestPause, Duration longestWait) {

    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema HEADER = CsvSchema.emptySchema().withHeader();

    /** One poll of a job's state. */
    @FunctionalInterface
    interface Poll<J> {

        J state() throws SalesforceCallException;
    }

    /** What a job still running past {@code longestWait} comes to, from its last state: a job that ended, or thrown. */
    @FunctionalInterface
    interface Overdue<J> {

        J after(J last) throws SalesforceCallException;
    }

    /** The job polled until it has {@code ended}; past {@link #longestWait}, what {@code overdue} makes of it. */
    <J> J await(Poll<J> poll, Predicate<J> ended, Overdue<J> overdue) throws SalesforceCallException, InterruptedException {
        long deadline = System.nanoTime() + longestWait.toNanos();
        Duration pause = firstPause;
        while (true) {
            Thread.sleep(pause.toMillis());
            J job = poll.state();
            if (ended.test(job)) {
                return job;
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                return overdue.after(job);
            }
            pause = pause.multipliedBy(2).compareTo(longestPause) > 0 ? longestPause : pause.multipliedBy(2);
        }
    }

    /** A result CSV's rows by column name, an empty field as null; {@code call} names the read in its failure. */
    static List<Map<String, String>> rows(InputStream csv, String call) throws SalesforceCallException {
        List<Map<String, String>> rows = new ArrayList<>();
        if (csv == null) {
            return rows;
        }
        try (csv; MappingIterator<Map<String, String>> read = CSV.readerForMapOf(String.class).with(HEADER).readValues(csv)) {
            while (read.hasNext()) {
                Map<String, String> row = read.next();
                row.replaceAll((column, text) -> text == null || text.isEmpty() ? null : text);
                rows.add(row);
            }
        } catch (IOException | RuntimeException e) {
            throw new SalesforceCallException(0, null, call + ": the CSV could not be read: " + e.getMessage(), e);
        }
        return rows;
    }
}
