package io.syncline.connector.sheets;

import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.util.Data;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.model.BatchUpdateValuesRequest;
import com.google.api.services.sheets.v4.model.ClearValuesRequest;
import com.google.api.services.sheets.v4.model.ValueRange;
import io.syncline.connector.spi.RetryAfter;
import io.syncline.connector.spi.SharedRateLimiter;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Sheets API calls of one system ({@code spreadsheets.values}), each waiting its turn under the
 * system's pace, shared by all replicas (reads and writes each their own: Google counts them apart),
 * and each failure told as the engine retries it: 429 {@code RESOURCE_EXHAUSTED}, 408 and 5xx as
 * {@link TargetUnavailableException} (retried no earlier than a {@code Retry-After}, else with the
 * inbox's exponential backoff), any other refusal as {@link TargetRejectedException} with the
 * {@code error.message} and {@code error.status} of Google's error body (a dead letter at once).
 */
final class SheetsClient {

    /** What a write sends for a cell it leaves as it is: JSON null, which Sheets skips. */
    static final Object SKIPPED = Data.NULL_STRING;

    private final String system;
    private final SheetsSettings settings;
    private final Sheets sheets;
    private final SharedRateLimiter limiter;
    private final SheetsComponents components;

    SheetsClient(String system, SheetsSettings settings, SheetsComponents components, SharedRateLimiter limiter) {
        this.system = system;
        this.settings = settings;
        this.components = components;
        this.sheets = components.client(system, settings);
        this.limiter = limiter;
    }

    /** The table of {@code range}: values unformatted, dates as the sheet shows them, by rows. */
    SheetTable read(SheetRange range) {
        ValueRange answer = call(false, "values.get " + range.table(), () -> sheets.spreadsheets().values()
                .get(settings.spreadsheetId(), range.table()).setMajorDimension("ROWS").setValueRenderOption("UNFORMATTED_VALUE")
                .setDateTimeRenderOption("FORMATTED_STRING").execute());
        return SheetTable.of(range, answer.getValues());
    }

    /** The column names of {@code range}'s header row, read alone (for the check before the first event). */
    List<String> header(SheetRange range) {
        String row = range.lastColumn() == 0 ? range.sheet() + "!" + range.headerRow() + ":" + range.headerRow()
                : range.row(range.headerRow(), range.lastColumn() - range.firstColumn() + 1);
        ValueRange answer = call(false, "values.get " + row, () -> sheets.spreadsheets().values()
                .get(settings.spreadsheetId(), row).setMajorDimension("ROWS").setValueRenderOption("UNFORMATTED_VALUE").execute());
        return SheetTable.of(range, answer.getValues()).header();
    }

    /** Writes one row's cells at {@code rowRange}, as given (no parsing of formulas or dates). */
    void update(String rowRange, List<Object> cells) {
        call(true, "values.update " + rowRange, () -> sheets.spreadsheets().values().update(settings.spreadsheetId(), rowRange,
                rows(rowRange, List.of(cells))).setValueInputOption("RAW").execute());
    }

    /** Writes several rows, each at its range, in one call. */
    void updateAll(List<ValueRange> rows) {
        call(true, "values.batchUpdate (" + rows.size() + " rows)", () -> sheets.spreadsheets().values().batchUpdate(
                settings.spreadsheetId(), new BatchUpdateValuesRequest().setValueInputOption("RAW").setData(rows)).execute());
    }

    /** Adds a row after the table's last one; returns the range Sheets wrote it to. */
    String append(SheetRange range, List<Object> cells) {
        return call(true, "values.append " + range.table(), () -> sheets.spreadsheets().values().append(settings.spreadsheetId(),
                range.table(), rows(null, List.of(cells))).setValueInputOption("RAW").setInsertDataOption("INSERT_ROWS")
                .execute()).getUpdates().getUpdatedRange();
    }

    /** Empties a row's cells (values only: the row and its formatting stay). */
    void clear(String rowRange) {
        call(true, "values.clear " + rowRange, () -> sheets.spreadsheets().values().clear(settings.spreadsheetId(), rowRange,
                new ClearValuesRequest()).execute());
    }

    static ValueRange rows(String range, List<List<Object>> rows) {
        return new ValueRange().setRange(range).setMajorDimension("ROWS").setValues(rows);
    }

    private interface Call<T> {

        T execute() throws IOException;
    }

    private <T> T call(boolean write, String request, Call<T> call) {
        limiter.acquire(write ? system : system + " reads", settings.rateLimit(), request);
        try {
            return call.execute();
        } catch (TokenResponseException refused) {
            String why = refused.getDetails() == null ? refused.getStatusMessage()
                    : refused.getDetails().getError() + ": " + refused.getDetails().getErrorDescription();
            components.answered(system, 401);
            throw failure(refused, request + " to " + system + ": the service account's token was refused: " + why, why);
        } catch (GoogleJsonResponseException answered) {
            GoogleJsonError error = answered.getDetails();
            String why = error == null ? answered.getStatusMessage() : error.getMessage() + " (" + error.get("status") + ")";
            throw failure(answered, request + " to " + system + " answered " + answered.getStatusCode() + ": " + why, why);
        } catch (HttpResponseException answered) {
            throw failure(answered, request + " to " + system + " answered " + answered.getStatusCode(), answered.getStatusMessage());
        } catch (IOException unreachable) {
            components.unreachable(system, unreachable.getMessage());
            throw new TargetUnavailableException(system, null, null, request + " to " + system + " failed: "
                    + unreachable.getMessage(), unreachable);
        }
    }

    private RuntimeException failure(HttpResponseException answered, String message, String why) {
        int status = answered.getStatusCode();
        if (status == 429 || status == 408 || status >= 500) {
            Duration retryAfter = RetryAfter.parse(answered.getHeaders().getRetryAfter(), Instant.now()).orElse(null);
            return new TargetUnavailableException(system, status, retryAfter, message, answered);
        }
        return new TargetRejectedException(system, status, why, message);
    }
}
