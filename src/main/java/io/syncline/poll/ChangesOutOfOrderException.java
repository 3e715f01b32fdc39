package io.syncline.poll;

/**
 * A polled source answered a change older than one before it: the watermark after a page would
 * then pass changes a later page still holds, so the poll stops before storing that page.
 */
public class ChangesOutOfOrderException extends Exception {

    public ChangesOutOfOrderException(String message) {
        super(message);
    }
}
