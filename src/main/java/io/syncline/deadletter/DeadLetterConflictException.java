package io.syncline.deadletter;

/** The dead letter is in a state that does not allow the operation (discarded, not replayable). */
public class DeadLetterConflictException extends RuntimeException {

    public DeadLetterConflictException(String message) {
        super(message);
    }
}
