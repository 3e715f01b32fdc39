package io.syncline.webhook;

import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The signature check of a system whose senders hand their secrets over in handshakes
 * ({@link SystemWebhook.Handshake}): each webhook path has its own secret, read from the state store
 * ({@link WebhookSecrets}) and kept with its verifier. A request that fails is checked once more
 * against the stored secret when that has changed since, for a new handshake may have been taken by
 * another replica.
 */
final class HandedOverSecrets implements SignatureVerifier {

    private final String system;
    private final Function<String, SignatureVerifier> signedWith;
    private final WebhookSecrets secrets;
    private final Map<String, Handed> byPath = new ConcurrentHashMap<>();

    private record Handed(String secret, SignatureVerifier verifier) {
    }

    HandedOverSecrets(String system, Function<String, SignatureVerifier> signedWith, WebhookSecrets secrets) {
        this.system = system;
        this.signedWith = signedWith;
        this.secrets = secrets;
    }

    /** Verifies a request to the webhook at {@code path} with the secret handed over there. */
    void verify(String path, SignedRequest request, Instant now) {
        Handed known = byPath.get(path);
        if (known == null) {
            known = load(path);
        }
        try {
            known.verifier().verify(request, now);
        } catch (SignatureRejectedException rejected) {
            Handed stored = load(path);
            if (stored.secret().equals(known.secret())) {
                throw rejected;
            }
            stored.verifier().verify(request, now);
        }
    }

    private Handed load(String path) {
        Optional<String> secret;
        try {
            secret = secrets.secret(system, path);
        } catch (SQLException e) {
            throw new IllegalStateException("The state store did not answer with the webhook secret of " + path, e);
        }
        Handed handed = new Handed(secret.orElseThrow(() -> new SignatureRejectedException("No handshake has been taken at "
                + path + " yet, so no delivery there can be verified")), signedWith.apply(secret.get()));
        byPath.put(path, handed);
        return handed;
    }

    /** Every request goes through {@link #verify(String, SignedRequest, Instant)}, which knows its path. */
    @Override
    public void verify(SignedRequest request, Instant now) {
        throw new IllegalStateException(system + "'s webhook secrets are per path");
    }
}
