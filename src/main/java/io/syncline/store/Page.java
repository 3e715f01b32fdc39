package io.syncline.store;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paged list: its items, and the cursor that asks for the next page
 * ({@link KeysetCursor}), null after the last.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * The page of {@code fetched}, read with a limit of {@code limit + 1}: a row beyond the page
     * says that another page follows, which then starts after the page's last item.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursorAfter) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, null);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), cursorAfter.apply(items.get(limit - 1)));
    }
}
