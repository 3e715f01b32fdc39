package io.syncline.model;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/** What the model names by a word of its own (a conflict strategy, a transform), found by that name. */
public final class ByName {

    private ByName() {
    }

    /**
     * {@code items} by {@code name}, in the names' order, unmodifiable.
     *
     * @param what the items in a sentence: {@code conflict strategies}
     * @throws IllegalArgumentException when two share a name, of which the model could not say which it means
     */
    public static <T> SortedMap<String, T> unique(Collection<? extends T> items, Function<T, String> name, String what) {
        SortedMap<String, T> byName = new TreeMap<>();
        for (T item : items) {
            T earlier = byName.putIfAbsent(name.apply(item), item);
            if (earlier != null) {
                throw new IllegalArgumentException("Two " + what + " are named '" + name.apply(item) + "': "
                        + earlier.getClass().getName() + " and " + item.getClass().getName());
            }
        }
        return Collections.unmodifiableSortedMap(byName);
    }
}
