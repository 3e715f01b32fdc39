package io.syncline.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for the Google Sheets API v4 ({@code spreadsheets.values}) and Google's
 * OAuth 2.0 token endpoint for service accounts, following Google's published contract:
 * <ul>
 *   <li>{@code POST /token}: the JWT bearer grant ({@link GoogleTokenEndpoint}) of the service account key
 *   this stub made ({@link #serviceAccountKey()}), asking for the spreadsheets scope, acting as no user.
 *   Tokens may be revoked ({@link #revokeTokens()}).</li>
 *   <li>{@code values.get}, {@code values.batchGet}, {@code values.update}, {@code values.append},
 *   {@code values.batchUpdate}, {@code values.clear} on one spreadsheet of sheets held in memory,
 *   with A1 ranges, {@code majorDimension}, {@code valueRenderOption} (FORMATTED_VALUE: text) and
 *   {@code valueInputOption} (required for writes; RAW stores as given; a null cell is skipped,
 *   "" clears it).</li>
 *   <li>Errors in Google's body {@code {"error": {"code", "message", "status"}}}: 401 UNAUTHENTICATED
 *   (with {@code WWW-Authenticate: Bearer … error="invalid_token"}), 403 PERMISSION_DENIED while
 *   {@link #forbidden} is set, 404 NOT_FOUND for another spreadsheet, 400 INVALID_ARGUMENT for a
 *   range it cannot parse, and 429 RESOURCE_EXHAUSTED while {@link #exhaustNext} counts.</li>
 * </ul>
 * Every request is kept ({@link #requests()}) for the contract check against Google's discovery document.
 */
public final class GoogleSheetsStub implements AutoCloseable {

    public static final String SPREADSHEET = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
    public static final String CLIENT_EMAIL = GoogleTokenEndpoint.CLIENT_EMAIL;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CELL = Pattern.compile("([A-Za-z]*)([0-9]*)");

    /** A request as received: the path decoded, the query as sent. */
    public record Request(String method, String path, String rawPath, String query, String body, int status, Instant at) {
    }

    private final HttpServer server;
    private final GoogleTokenEndpoint tokenEndpoint = new GoogleTokenEndpoint("https://www.googleapis.com/auth/spreadsheets", null);
    private final Map<String, List<List<Object>>> sheets = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** The next n Sheets calls answer 429 RESOURCE_EXHAUSTED. */
    public final AtomicInteger exhaustNext = new AtomicInteger();
    /** The seconds of {@code Retry-After} on a 429; none when null. */
    public volatile Integer retryAfterSeconds;
    /** While set, every Sheets call answers 403 PERMISSION_DENIED: the sheet is not shared with the service account. */
    public volatile boolean forbidden;

    private GoogleSheetsStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/v4/spreadsheets/", this::sheets);
        server.start();
    }

    public static GoogleSheetsStub start() {
        try {
            return new GoogleSheetsStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The service account's JSON key, as Google's console downloads it, pointing at this stub's token endpoint. */
    public String serviceAccountKey() {
        return tokenEndpoint.serviceAccountKey(baseUrl() + "token");
    }

    /** A sheet's cells, row by row, as the sheet holds them (a test's edit). */
    public void sheet(String name, List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>();
        rows.forEach(row -> copy.add(new ArrayList<>(row)));
        sheets.put(name, copy);
    }

    /** A sheet's rows as they are now, trailing blanks trimmed. */
    public synchronized List<List<Object>> sheet(String name) {
        List<List<Object>> rows = new ArrayList<>();
        sheets.getOrDefault(name, List.of()).forEach(row -> rows.add(trimmed(row)));
        while (!rows.isEmpty() && rows.get(rows.size() - 1).isEmpty()) {
            rows.remove(rows.size() - 1);
        }
        return rows;
    }

    /** Sets one cell ({@code E4}) as a person editing the sheet would. */
    public synchronized void edit(String name, String cell, Object value) {
        Matcher at = CELL.matcher(cell);
        if (!at.matches()) {
            throw new IllegalArgumentException(cell);
        }
        cell(sheets.get(name), Integer.parseInt(at.group(2)) - 1, column(at.group(1)) - 1, value);
    }

    /** Adds a row after the last one, as a person would. */
    public synchronized void addRow(String name, List<Object> row) {
        List<List<Object>> rows = sheets.get(name);
        int last = sheet(name).size();
        while (rows.size() > last) {
            rows.remove(rows.size() - 1);
        }
        rows.add(new ArrayList<>(row));
    }

    /** Deletes a row (the rows below move up), as a person would. */
    public synchronized void deleteRow(String name, int row) {
        sheets.get(name).remove(row - 1);
    }

    /** Every access token issued so far stops working: the next call answers 401. */
    public void revokeTokens() {
        tokenEndpoint.revoke();
    }

    /** How many access tokens the token endpoint issued. */
    public int tokensIssued() {
        return tokenEndpoint.issued();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- the token endpoint -------------------------------------------------------------------

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            GoogleTokenEndpoint.Answer answer = tokenEndpoint.answer(baseUrl() + "token", StubHttp.form(body));
            record(exchange, body, answer.status());
            StubHttp.sendJson(exchange, answer.status(), answer.body(), Map.of());
        }
    }

    // --- spreadsheets.values ------------------------------------------------------------------

    private void sheets(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = body(exchange);
            String path = URLDecoder.decode(exchange.getRequestURI().getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!tokenEndpoint.accepts(authorization)) {
                answerError(exchange, body, 401, "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                        + " login cookie or other valid authentication credential.", "UNAUTHENTICATED",
                        Map.of("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""));
                return;
            }
            if (forbidden) {
                answerError(exchange, body, 403, "The caller does not have permission", "PERMISSION_DENIED", Map.of());
                return;
            }
            if (exhaustNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                answerError(exchange, body, 429, "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per"
                        + " minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:104857600'.",
                        "RESOURCE_EXHAUSTED", retryAfterSeconds == null ? Map.of() : Map.of("Retry-After", retryAfterSeconds.toString()));
                return;
            }
            Matcher call = Pattern.compile("/v4/spreadsheets/([^/]+)/values(?:/(.+?))?(?::(append|clear|batchUpdate|batchGet))?")
                    .matcher(path);
            if (!call.matches() || !SPREADSHEET.equals(call.group(1))) {
                answerError(exchange, body, 404, "Requested entity was not found.", "NOT_FOUND", Map.of());
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            String range = call.group(2);
            String verb = exchange.getRequestMethod() + " " + (call.group(3) == null ? range == null ? "" : "range" : call.group(3));
            Object answer;
            synchronized (this) {
                answer = switch (verb) {
                    case "GET range" -> read(range, query);
                    case "PUT range" -> write(range, body, query, false);
                    case "POST append" -> write(range, body, query, true);
                    case "POST clear" -> clear(range);
                    case "POST batchUpdate" -> batchUpdate(body);
                    case "GET batchGet" -> batchGet(exchange.getRequestURI().getRawQuery(), query);
                    default -> new Failure(404, "Requested entity was not found.", "NOT_FOUND");
                };
            }
            if (answer instanceof Failure failure) {
                answerError(exchange, body, failure.code(), failure.message(), failure.status(), Map.of());
                return;
            }
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), body, 200, Instant.now()));
            StubHttp.sendJson(exchange, 200, answer, Map.of());
        }
    }

    private record Failure(int code, String message, String status) {
    }

    /** The request's body, inflated where it came gzipped (Google's clients compress what they send). */
    private static String body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            bytes = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A range of a sheet, 0-based, the end exclusive; -1 where it is open. */
    private record Area(String sheet, int top, int left, int bottom, int right) {
    }

    private Object area(String range) {
        if (range == null) {
            return new Failure(400, "Unable to parse range: ", "INVALID_ARGUMENT");
        }
        int bang = range.lastIndexOf('!');
        String sheet = bang < 0 ? range : range.substring(0, bang);
        if (sheet.startsWith("'") && sheet.endsWith("'")) {
            sheet = sheet.substring(1, sheet.length() - 1).replace("''", "'");
        }
        if (!sheets.containsKey(sheet)) {
            return new Failure(400, "Unable to parse range: " + range, "INVALID_ARGUMENT");
        }
        if (bang < 0) {
            return new Area(sheet, 0, 0, -1, -1);
        }
        String[] corners = range.substring(bang + 1).split(":");
        Matcher from = CELL.matcher(corners[0]);
        Matcher to = CELL.matcher(corners.length > 1 ? corners[1] : corners[0]);
        if (corners.length > 2 || !from.matches() || !to.matches() || from.group(1).isEmpty() && from.group(2).isEmpty()) {
            return new Failure(400, "Unable to parse range: " + range, "INVALID_ARGUMENT");
        }
        return new Area(sheet, from.group(2).isEmpty() ? 0 : Integer.parseInt(from.group(2)) - 1,
                from.group(1).isEmpty() ? 0 : column(from.group(1)) - 1,
                to.group(2).isEmpty() ? -1 : Integer.parseInt(to.group(2)),
                to.group(1).isEmpty() ? -1 : column(to.group(1)));
    }

    private Object read(String range, Map<String, String> query) {
        Object area = area(range);
        if (area instanceof Failure) {
            return area;
        }
        Area at = (Area) area;
        List<List<Object>> rows = sheets.get(at.sheet());
        int bottom = at.bottom() < 0 ? rows.size() : Math.min(at.bottom(), rows.size());
        List<List<Object>> values = new ArrayList<>();
        for (int r = at.top(); r < bottom; r++) {
            List<Object> row = rows.get(r);
            int right = at.right() < 0 ? row.size() : Math.min(at.right(), row.size());
            List<Object> cells = new ArrayList<>();
            for (int c = at.left(); c < right; c++) {
                Object value = row.get(c);
                cells.add(value == null ? "" : "FORMATTED_VALUE".equals(query.getOrDefault("valueRenderOption", "FORMATTED_VALUE"))
                        ? formatted(value) : value);
            }
            values.add(trimmed(cells));
        }
        while (!values.isEmpty() && values.get(values.size() - 1).isEmpty()) {
            values.remove(values.size() - 1);
        }
        if ("COLUMNS".equals(query.get("majorDimension"))) {
            values = transposed(values);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("range", range);
        answer.put("majorDimension", query.getOrDefault("majorDimension", "ROWS"));
        if (!values.isEmpty()) {
            answer.put("values", values);
        }
        return answer;
    }

    private Object batchGet(String rawQuery, Map<String, String> query) {
        List<Object> ranges = new ArrayList<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            if (pair.startsWith("ranges=")) {
                Object read = read(URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8), query);
                if (read instanceof Failure) {
                    return read;
                }
                ranges.add(read);
            }
        }
        return Map.of("spreadsheetId", SPREADSHEET, "valueRanges", ranges);
    }

    /** values.update (at the range) or values.append (after the table the range finds). */
    private Object write(String range, String body, Map<String, String> query, boolean append) {
        String input = query.get("valueInputOption");
        if (input == null || !Set.of("RAW", "USER_ENTERED").contains(input)) {
            return new Failure(400, "'valueInputOption' is required but not specified", "INVALID_ARGUMENT");
        }
        Map<String, Object> valueRange;
        try {
            valueRange = JSON.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            return new Failure(400, "Invalid JSON payload received. " + e.getMessage(), "INVALID_ARGUMENT");
        }
        if (valueRange.get("range") != null && !valueRange.get("range").equals(range)) {
            return new Failure(400, "Requested writing within range [" + range + "], but tried writing to ["
                    + valueRange.get("range") + "]", "INVALID_ARGUMENT");
        }
        Object area = area(range);
        if (area instanceof Failure) {
            return area;
        }
        Area at = (Area) area;
        @SuppressWarnings("unchecked")
        List<List<Object>> values = valueRange.get("values") == null ? List.of() : (List<List<Object>>) valueRange.get("values");
        if ("COLUMNS".equals(valueRange.get("majorDimension"))) {
            values = transposed(values);
        }
        List<List<Object>> rows = sheets.get(at.sheet());
        int top = at.top();
        if (append) {
            top = at.top(); // the table: from the range's first row down to its last row holding anything
            while (top < rows.size() && !trimmed(rows.get(top)).isEmpty()) {
                top++;
            }
            for (int r = top; r < rows.size(); r++) {
                if (!trimmed(rows.get(r)).isEmpty()) {
                    top = r + 1;
                }
            }
            if ("INSERT_ROWS".equals(query.get("insertDataOption"))) {
                for (int i = 0; i < values.size() && top < rows.size(); i++) {
                    rows.add(top, new ArrayList<>());
                }
            }
        }
        int width = 0;
        for (int r = 0; r < values.size(); r++) {
            if (!append && at.bottom() >= 0 && top + r >= at.bottom()) {
                return new Failure(400, "Requested writing within range [" + range + "], but tried writing to row ["
                        + (top + r + 1) + "]", "INVALID_ARGUMENT");
            }
            List<Object> cells = values.get(r);
            width = Math.max(width, cells.size());
            for (int c = 0; c < cells.size(); c++) {
                Object value = cells.get(c);
                if (value != null) { // a null cell is skipped
                    cell(rows, top + r, at.left() + c, "".equals(value) ? null : "USER_ENTERED".equals(input) ? entered(value) : value);
                }
            }
        }
        String written = (range.contains("!") ? range.substring(0, range.lastIndexOf('!')) : range) + "!"
                + letters(at.left() + 1) + (top + 1) + ":" + letters(at.left() + Math.max(width, 1)) + (top + values.size());
        Map<String, Object> updates = new LinkedHashMap<>();
        updates.put("spreadsheetId", SPREADSHEET);
        updates.put("updatedRange", written);
        updates.put("updatedRows", values.size());
        updates.put("updatedColumns", width);
        updates.put("updatedCells", values.stream().mapToInt(List::size).sum());
        return append ? Map.of("spreadsheetId", SPREADSHEET, "tableRange", range, "updates", updates) : updates;
    }

    private Object batchUpdate(String body) {
        Map<String, Object> request;
        try {
            request = JSON.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            return new Failure(400, "Invalid JSON payload received. " + e.getMessage(), "INVALID_ARGUMENT");
        }
        List<Object> responses = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data = (List<Map<String, Object>>) request.getOrDefault("data", List.of());
        for (Map<String, Object> valueRange : data) {
            try {
                Object answer = write(String.valueOf(valueRange.get("range")), JSON.writeValueAsString(valueRange),
                        Map.of("valueInputOption", String.valueOf(request.get("valueInputOption"))), false);
                if (answer instanceof Failure) {
                    return answer;
                }
                responses.add(answer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("spreadsheetId", SPREADSHEET, "totalUpdatedRows", data.size(), "responses", responses);
    }

    private Object clear(String range) {
        Object area = area(range);
        if (area instanceof Failure) {
            return area;
        }
        Area at = (Area) area;
        List<List<Object>> rows = sheets.get(at.sheet());
        int bottom = at.bottom() < 0 ? rows.size() : Math.min(at.bottom(), rows.size());
        for (int r = at.top(); r < bottom; r++) {
            List<Object> row = rows.get(r);
            int right = at.right() < 0 ? row.size() : Math.min(at.right(), row.size());
            for (int c = at.left(); c < right; c++) {
                row.set(c, null);
            }
        }
        return Map.of("spreadsheetId", SPREADSHEET, "clearedRange", range);
    }

    private void answerError(HttpExchange exchange, String body, int code, String message, String status,
            Map<String, String> headers) throws IOException {
        record(exchange, body, code);
        StubHttp.sendJson(exchange, code, Map.of("error", Map.of("code", code, "message", message, "status", status)), headers);
    }

    private void record(HttpExchange exchange, String body, int status) {
        requests.add(new Request(exchange.getRequestMethod(), URLDecoder.decode(exchange.getRequestURI().getRawPath(),
                StandardCharsets.UTF_8), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), body, status,
                Instant.now()));
    }

    private static void cell(List<List<Object>> rows, int row, int column, Object value) {
        while (rows.size() <= row) {
            rows.add(new ArrayList<>());
        }
        List<Object> cells = rows.get(row);
        while (cells.size() <= column) {
            cells.add(null);
        }
        cells.set(column, value);
    }

    private static List<Object> trimmed(List<Object> row) {
        List<Object> cells = new ArrayList<>(row);
        while (!cells.isEmpty() && (cells.get(cells.size() - 1) == null || "".equals(cells.get(cells.size() - 1)))) {
            cells.remove(cells.size() - 1);
        }
        cells.replaceAll(value -> value == null ? "" : value);
        return cells;
    }

    private static List<List<Object>> transposed(List<List<Object>> rows) {
        int width = rows.stream().mapToInt(List::size).max().orElse(0);
        List<List<Object>> columns = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            List<Object> column = new ArrayList<>();
            for (List<Object> row : rows) {
                column.add(c < row.size() ? row.get(c) : "");
            }
            columns.add(trimmed(column));
        }
        return columns;
    }

    private static Object formatted(Object value) {
        if (value instanceof Double || value instanceof BigDecimal) {
            BigDecimal number = new BigDecimal(value.toString()).stripTrailingZeros();
            return number.scale() <= 0 ? number.toBigInteger().toString() : number.toPlainString();
        }
        return value instanceof Boolean truth ? truth.toString().toUpperCase(java.util.Locale.ROOT) : String.valueOf(value);
    }

    private static Object entered(Object value) {
        if (value instanceof String text && text.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return text.contains(".") ? Double.valueOf(text) : Long.valueOf(text);
        }
        return value;
    }

    private static int column(String letters) {
        int column = 0;
        for (char letter : letters.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            column = column * 26 + (letter - 'A' + 1);
        }
        return column;
    }

    private static String letters(int column) {
        StringBuilder letters = new StringBuilder();
        for (int rest = column; rest > 0; rest = (rest - 1) / 26) {
            letters.insert(0, (char) ('A' + (rest - 1) % 26));
        }
        return letters.toString();
    }
}
