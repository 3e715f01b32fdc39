package io.syncline.links;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of an ID map import's CSV (RFC 4180), read one at a time with Jackson's streaming CSV
 * parser. The header (line 1) names the columns, in any order, of one of two shapes:
 * {@value #CANONICAL_HEADER} (a system's record is that canonical record) or
 * {@value #PAIR_HEADER} (two systems' records are one). Every cell is required and within its
 * column's length in the ID map; a row that breaks a rule is a {@link MalformedLinkException}.
 */
final class LinkCsv implements Closeable {

    static final String CANONICAL_HEADER = "entity,canonical_id,system,system_id";
    static final String PAIR_HEADER = "entity,system,system_id,other_system,other_system_id";

    /** Each column's most characters: the ID map's column sizes. */
    private static final Map<String, Integer> LENGTHS = Map.of("entity", 100, "canonical_id", 64, "system", 100,
            "system_id", 200, "other_system", 100, "other_system_id", 200);
    private static final CsvFactory FACTORY = CsvFactory.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private final CsvParser parser;
    private final List<String> columns;
    private long line;

    LinkCsv(Reader text) throws IOException {
        this.parser = FACTORY.createParser(text);
        List<String> header = nextCells();
        if (header == null) {
            throw new MalformedLinkException(1, null, "the CSV is empty; its first line is the header, "
                    + CANONICAL_HEADER + " or " + PAIR_HEADER);
        }
        this.columns = header.stream().map(String::strip).toList();
        List<String> sorted = columns.stream().sorted().toList();
        if (!sorted.equals(sortedNames(CANONICAL_HEADER)) && !sorted.equals(sortedNames(PAIR_HEADER))) {
            String unknown = columns.stream().filter(name -> !LENGTHS.containsKey(name)).findFirst().orElse(null);
            throw new MalformedLinkException(line, unknown, (unknown == null ? "the header " + String.join(",", columns)
                    : "'" + unknown + "' is not a column") + "; the header is " + CANONICAL_HEADER + " or " + PAIR_HEADER
                    + ", in any order");
        }
    }

    private static List<String> sortedNames(String header) {
        return List.of(header.split(",")).stream().sorted().toList();
    }

    /** The next row, or null after the last. */
    LinkRow next() throws IOException {
        List<String> cells = nextCells();
        if (cells == null) {
            return null;
        }
        if (cells.size() != columns.size()) {
            throw new MalformedLinkException(line, null, "the row has " + cells.size() + " cells; the header names "
                    + columns.size() + " (" + String.join(",", columns) + ")");
        }
        for (int i = 0; i < cells.size(); i++) {
            String value = cells.get(i);
            int most = LENGTHS.get(columns.get(i));
            if (value.isBlank()) {
                throw new MalformedLinkException(line, columns.get(i), "the cell is empty");
            }
            if (value.codePointCount(0, value.length()) > most) {
                throw new MalformedLinkException(line, columns.get(i), "the cell is longer than " + most + " characters");
            }
        }
        return new LinkRow(line, cell(cells, "entity"), cell(cells, "canonical_id"), cell(cells, "system"),
                cell(cells, "system_id"), cell(cells, "other_system"), cell(cells, "other_system_id"));
    }

    /** Up to {@code most} rows, fewer only at the end; none after the last. */
    List<LinkRow> next(int most) throws IOException {
        List<LinkRow> rows = new ArrayList<>(most);
        LinkRow row;
        while (rows.size() < most && (row = next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    private String cell(List<String> cells, String column) {
        int index = columns.indexOf(column);
        return index < 0 ? null : cells.get(index);
    }

    /** The next record's cells, its first line in {@link #line}; null at the end. */
    private List<String> nextCells() throws IOException {
        try {
            line = parser.currentLocation().getLineNr();
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            // where the parser stands at a row's start (its token itself has no line)
            line = parser.currentLocation().getLineNr();
            List<String> cells = new ArrayList<>();
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                cells.add(parser.getText());
            }
            return cells;
        } catch (JsonProcessingException e) {
            // named by the line the row starts on: an unclosed quote is only found at the end of the text
            throw new MalformedLinkException(line, null, e.getOriginalMessage());
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
