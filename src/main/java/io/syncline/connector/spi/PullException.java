package io.syncline.connector.spi;

/** A source failed during a pull; the message names the system, the page and the cause. */
public class PullException extends Exception {

    public PullException(String message) {
        super(message);
    }

    public PullException(String message, Throwable cause) {
        super(message, cause);
    }
}
