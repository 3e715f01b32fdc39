package io.syncline.store;

/**
 * The inbox's brokers did not acknowledge an event in time ({@code syncline.inbox.mode=kafka}):
 * nothing was accepted, and the webhook is answered 503 with Retry-After, as when the state
 * store is away.
 */
public class InboxUnavailableException extends RuntimeException {

    public InboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
