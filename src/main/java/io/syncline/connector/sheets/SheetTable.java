package io.syncline.connector.sheets;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A sheet's table as {@code values.get} answered it (rows, unformatted values): the column names
 * of its first row and each row below as a record, column name to value. An empty cell has no
 * value; a row with no value at all (a cleared row) is no record. A whole number is read as a
 * {@code long}, as a key column's {@code 42} is the id {@code 42}, not {@code 42.0}.
 */
record SheetTable(SheetRange range, List<String> header, List<Row> rows) {

    /** A record and the row of the sheet it is in (1-based, as the sheet counts). */
    record Row(int number, Map<String, Object> record) {
    }

    static SheetTable of(SheetRange range, List<List<Object>> values) {
        List<String> header = new ArrayList<>();
        if (values != null && !values.isEmpty()) {
            for (Object name : values.get(0)) {
                header.add(name == null ? "" : name.toString().strip());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int index = 1; values != null && index < values.size(); index++) {
            List<Object> cells = values.get(index);
            Map<String, Object> record = new LinkedHashMap<>();
            boolean any = false;
            for (int column = 0; column < header.size(); column++) {
                if (header.get(column).isEmpty()) {
                    continue;
                }
                Object value = column < cells.size() ? cell(cells.get(column)) : null;
                record.put(header.get(column), value);
                any |= value != null;
            }
            if (any) {
                rows.add(new Row(range.headerRow() + index, record));
            }
        }
        return new SheetTable(range, List.copyOf(header), List.copyOf(rows));
    }

    /** The row whose {@code keyColumn} holds {@code id} (compared as text); the first one where several do. */
    Optional<Row> find(String keyColumn, String id) {
        return rows.stream().filter(row -> Objects.equals(text(row.record().get(keyColumn)), id)).findFirst();
    }

    /** The row after the last one that holds anything: where a record appended lands. */
    int nextRow() {
        return rows.isEmpty() ? range.headerRow() + 1 : rows.get(rows.size() - 1).number() + 1;
    }

    /**
     * A record's values in the order of the columns, for a write: a column the record does not
     * name is left as it is (Sheets skips a null), a value it names as empty is cleared ("").
     */
    List<Object> cells(Map<String, Object> record, Object skipped) {
        List<Object> cells = new ArrayList<>(header.size());
        for (String column : header) {
            if (column.isEmpty() || !record.containsKey(column)) {
                cells.add(skipped);
            } else {
                Object value = record.get(column);
                cells.add(value == null ? "" : value instanceof Number || value instanceof Boolean ? value : value.toString());
            }
        }
        return cells;
    }

    /**
     * The record a row holds once {@code record} is written over {@code before} (null for a new
     * row), read as a poll would read it: what a poll that comes after the write finds there.
     */
    Map<String, Object> afterWrite(Map<String, Object> before, Map<String, Object> record) {
        Map<String, Object> after = new LinkedHashMap<>();
        for (String column : header) {
            if (!column.isEmpty()) {
                Object value = record.containsKey(column) ? record.get(column) : before == null ? null : before.get(column);
                after.put(column, value instanceof Number number && !(value instanceof BigDecimal)
                        ? cell(new BigDecimal(number.toString())) : value instanceof Boolean ? value
                        : value == null ? null : cell(value.toString()));
            }
        }
        return after;
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static Object cell(Object value) {
        if (value instanceof String text) {
            return text.isEmpty() ? null : text;
        }
        if (value instanceof BigDecimal number) {
            BigDecimal plain = number.stripTrailingZeros();
            if (plain.scale() <= 0 && plain.toBigInteger().bitLength() < 63) {
                return plain.longValueExact();
            }
            return number.doubleValue();
        }
        return value;
    }
}
