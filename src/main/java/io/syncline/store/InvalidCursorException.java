package io.syncline.store;

/** A {@code cursor} that no page of this list answered ({@link KeysetCursor}): 400 naming the parameter. */
public class InvalidCursorException extends IllegalArgumentException {

    public InvalidCursorException() {
        super("cursor is not one a page of this list answered; leave it out for the first page");
    }
}
