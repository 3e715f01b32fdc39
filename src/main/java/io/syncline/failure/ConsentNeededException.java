package io.syncline.failure;

import java.time.Duration;

/**
 * A system reached through an OAuth 2.0 authorization-code grant has no usable grant: no refresh
 * token yet, or the provider refused it ({@code invalid_grant}: revoked, expired, or spent). Nothing
 * can be sent until an operator gives consent again; events wait and retry meanwhile.
 */
public class ConsentNeededException extends TargetUnavailableException {

    /** How soon a write waiting for consent is tried again. */
    public static final Duration RETRY = Duration.ofMinutes(1);

    public ConsentNeededException(String system, String reason) {
        super(system, null, RETRY, system + ": consent needed (" + reason + "); an operator gives it at"
                + " /admin/systems/" + system + "/oauth/authorize or stores a refresh token at"
                + " /admin/systems/" + system + "/oauth/refresh-token", null);
    }
}
