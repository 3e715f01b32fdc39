package io.syncline.review;

/** The review item is not open (already resolved or discarded), or there is no such item. */
public class ReviewItemClosedException extends RuntimeException {

    private final long itemId;
    private final boolean missing;

    public ReviewItemClosedException(long itemId, String message, boolean missing) {
        super(message);
        this.itemId = itemId;
        this.missing = missing;
    }

    public long itemId() {
        return itemId;
    }

    /** There is no such item at all (404 rather than 409). */
    public boolean missing() {
        return missing;
    }
}
