package io.syncline.failure;

/**
 * A target refused the write for good: a 4xx other than 408 and 429 (validation, bad
 * credentials, not found, conflict), or an answer Syncline cannot use. Retrying the same
 * write cannot help, so the event goes straight to the dead-letter table with
 * {@link #providerMessage()}; it can be replayed once the data or the model is fixed.
 */
public class TargetRejectedException extends RuntimeException implements PermanentFailure {

    private final String system;
    private final int status;
    private final String providerMessage;

    public TargetRejectedException(String system, int status, String providerMessage, String message) {
        super(message);
        this.system = system;
        this.status = status;
        this.providerMessage = providerMessage;
    }

    public String system() {
        return system;
    }

    public int status() {
        return status;
    }

    /** The target's own explanation, from its error body (HubSpot's {@code message}, OAuth's {@code error_description}, …). */
    public String providerMessage() {
        return providerMessage;
    }
}
