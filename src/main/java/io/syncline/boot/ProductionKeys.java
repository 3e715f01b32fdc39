package io.syncline.boot;

import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.syncline.config.SynclineConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.quarkus.main.events.AfterConfigure;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Production (the prod profile, the packaged application's) refuses to start without the keys
 * that replicas must share: the console session key (else each replica makes its own and a login
 * works on one only) and the privacy digest key (else tombstones are plain digests anyone who
 * guesses an identifier can confirm). Checked before any route starts, naming the missing settings; dev mode and tests
 * need neither. The keys' values are never part of a message.
 */
@ApplicationScoped
public class ProductionKeys {

    static final String SESSION_KEY = "SYNCLINE_CONSOLE_SESSION_KEY";
    static final String DIGEST_KEY = "SYNCLINE_PRIVACY_DIGEST_KEY";
    static final String SESSION_KEY_PROPERTY = "quarkus.http.auth.session.encryption-key";
    /** Quarkus refuses a shorter session key, but only at the first login. */
    static final int SESSION_KEY_MIN_LENGTH = 16;

    @Inject
    Config config;
    @Inject
    SynclineConfig syncline;

    // Before the model and the route files (priority 100): no webhook is taken without the keys.
    void onAfterConfigure(@Observes @Priority(50) AfterConfigure event) {
        if (ConfigUtils.isProfileActive("prod")) {
            requirePresent(config.getOptionalValue(SESSION_KEY_PROPERTY, String.class),
                    syncline.privacy().digestKey());
        }
    }

    /** Throws naming each key that is missing or unusable; returns quietly when both are usable. */
    static void requirePresent(Optional<String> sessionKey, Optional<String> digestKey) {
        List<String> problems = new ArrayList<>();
        if (sessionKey.filter(key -> !key.isBlank()).isEmpty()) {
            problems.add(SESSION_KEY + " is not set: the console session key, shared by every replica");
        } else if (sessionKey.get().length() < SESSION_KEY_MIN_LENGTH) {
            problems.add(SESSION_KEY + " is shorter than " + SESSION_KEY_MIN_LENGTH + " characters");
        }
        if (digestKey.filter(key -> !key.isBlank()).isEmpty()) {
            problems.add(DIGEST_KEY + " is not set: the HMAC key of the privacy tombstones' digests");
        }
        if (!problems.isEmpty()) {
            // Quarkus prints a ConfigurationException's message alone, once, and exits 1: the
            // operator reads what to set, not stack traces (Camel's own report of a failed start
            // is silenced in application.properties; Quarkus reports every other failure itself).
            throw new ConfigurationException("Start-up stopped: " + String.join("; ", problems)
                    + ". Set each in the environment from a Kubernetes Secret, e.g. " + String.join(", ",
                            problems.stream().map(problem -> problem.substring(0, problem.indexOf(' ')) + "=$(openssl rand -base64 32)")
                                    .toList())
                    + " (docs/deployment.md, \"Secrets\").");
        }
    }
}
