package io.syncline.connector.jdbc;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One row of a JDBC page as a read-only map of column label to value: the values in an array, the
 * labels and their positions shared by every row of the page. A million rows cost a million small
 * arrays instead of a million hash tables, and a lookup touches the shared, cache-warm index and
 * one array instead of a fresh table and its entries.
 */
final class ColumnRow extends AbstractMap<String, Object> {

    private final Columns columns;
    private final Object[] values;

    ColumnRow(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** The labels of a result set, in order, and where each is. */
    record Columns(String[] names, Map<String, Integer> positions) {
    }

    @Override
    public Object get(Object key) {
        Integer position = columns.positions().get(key);
        return position == null ? null : values[position];
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.positions().containsKey(key);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {

                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(columns.names()[at], values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }
}
