package io.syncline.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/** What the model names by a word of its own (a conflict strategy, a transform, an action), found by that name. */
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

    /**
     * The constant of {@code kind} that {@code written} names, in any case ({@code hold}, {@code HOLD}).
     *
     * @param what where it is written, in a sentence: {@code quantity's below}
     * @throws IllegalArgumentException naming what may be written: {@code … is unknown: write hold or reject}
     */
    public static <E extends Enum<E>> E constant(Class<E> kind, String written, String what) {
        E[] constants = kind.getEnumConstants();
        for (E constant : constants) {
            if (constant.name().equalsIgnoreCase(written)) {
                return constant;
            }
        }
        List<String> names = Arrays.stream(constants).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
        String last = names.get(names.size() - 1);
        throw new IllegalArgumentException(what + " '" + written + "' is unknown: write "
                + (names.size() == 1 ? last : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last));
    }
}
