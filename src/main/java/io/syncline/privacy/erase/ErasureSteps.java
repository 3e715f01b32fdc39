package io.syncline.privacy.erase;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.config.SynclineConfig;
import io.syncline.deadletter.DeadLetterRepository;
import io.syncline.failure.PermanentFailure;
import io.syncline.model.EraseSpec;
import io.syncline.privacy.request.PrivacyRequest;
import io.syncline.privacy.request.PrivacyRequestStore;
import io.syncline.privacy.request.PrivacyRequests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The stages of route {@code privacy-erasure}: the parts of confirmed erasures that are due, each
 * erased in its system ({@link SystemEraser}), and the requests whose parts are all settled,
 * scrubbed once more and finished. A system that cannot be reached keeps its part pending, tried
 * again with the inbox's backoff (never more than {@code syncline.inbox.max-retry-delay} apart)
 * for as long as it takes; one that refuses the erasure fails the part, with a dead letter, until
 * an operator retries the request.
 */
@ApplicationScoped
@Named("ErasureSteps")
@RegisterForReflection
public class ErasureSteps {

    private static final Logger LOG = Logger.getLogger(ErasureSteps.class);
    /** How long an attempt may take before another replica may try the same part. */
    private static final Duration LEASE = Duration.ofMinutes(2);

    @Inject
    PrivacyRequestStore requests;
    @Inject
    PrivacyRequests service;
    @Inject
    SystemEraser eraser;
    @Inject
    AuditLog audit;
    @Inject
    DeadLetterRepository deadLetters;
    @Inject
    AgroalDataSource store;
    @Inject
    SynclineConfig config;

    /** The parts due now. */
    public List<PrivacyRequestStore.DuePart> due() throws Exception {
        return requests.due(50);
    }

    /** Erases one part's record, unless another replica took the part first. */
    public void erase(PrivacyRequestStore.DuePart due) throws Exception {
        PrivacyRequest.Part part = due.part();
        if (!requests.claim(due.requestId(), part, Instant.now().plus(LEASE))) {
            return;
        }
        EraseSpec.Mode mode = EraseSpec.Mode.valueOf(part.mode().toUpperCase(Locale.ROOT));
        try {
            String done = eraser.erase(due.entity(), part.system(), part.systemId(), mode);
            try (Connection connection = store.getConnection()) {
                connection.setAutoCommit(false);
                requests.outcome(connection, due.requestId(), part, "done", null, null);
                audit.record(connection, new AuditEntry(AuditEntry.Action.ERASED, due.entity(), null, null, null, part.system(),
                        null, "privacy-" + due.requestId(), null, null, null, null,
                        done + " of record " + part.idDigest() + " by privacy request " + due.requestId()));
                connection.commit();
            }
        } catch (Exception failure) {
            int attempts = part.attempts() + 1;
            String reason = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
            try (Connection connection = store.getConnection()) {
                if (PermanentFailure.isPermanent(failure) || failure instanceof IllegalStateException) {
                    requests.outcome(connection, due.requestId(), part, "failed", null, reason);
                    deadLetters.storeFailure("privacy-erasure", due.entity(), part.system(), "{\"privacyRequest\":"
                            + due.requestId() + ",\"system\":\"" + part.system() + "\",\"record\":\"" + part.idDigest() + "\"}", failure);
                } else {
                    Duration delay = backoff(attempts);
                    LOG.warnf("Erasing a record in %s for privacy request %d failed (attempt %d), trying again in %d s: %s",
                            part.system(), due.requestId(), attempts, delay.toSeconds(), reason);
                    requests.outcome(connection, due.requestId(), part, "pending", Instant.now().plus(delay), reason);
                }
            }
        }
    }

    /** Finishes the erasures whose parts are all settled. */
    public void finish() throws Exception {
        for (long id : requests.settled()) {
            service.finish(id);
        }
    }

    /** The inbox's retry delay doubled per attempt, capped at its longest. */
    private Duration backoff(int attempts) {
        long base = config.inbox().retryDelay().toMillis() << Math.min(attempts - 1, 20);
        return Duration.ofMillis(Math.min(base, config.inbox().maxRetryDelay().toMillis()));
    }
}
