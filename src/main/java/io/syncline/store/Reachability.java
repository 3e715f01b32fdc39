package io.syncline.store;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a background probe of a service Syncline cannot work without (the state store, the inbox
 * topic's brokers) last heard from it. The service counts as unreachable once a probe failed, or
 * when none has answered for the probe's interval and timeout together (a probe still waiting, on
 * a partition that holds its bytes). One WARN when it becomes unreachable and one INFO when it
 * answers again: the failures in between are answered, retried or handed back without a log line
 * of their own. Readiness reads it at once ({@link #response}).
 */
public final class Reachability {

    private final Duration staleAfter;
    private final Clock clock;
    private final Logger log;
    private final String lost;
    private final String back;

    private volatile Instant lastAnswer;
    private volatile boolean failing;
    private volatile String lastError;
    private volatile Instant unreachableSince;

    /**
     * @param staleAfter the probe's interval and timeout together: no answer for longer is unreachable
     * @param lost       the WARN when the service becomes unreachable, {@code %s} the error
     * @param back       the INFO when it answers again, {@code %d} the seconds it was unreachable
     */
    public Reachability(Duration staleAfter, Clock clock, Logger log, String lost, String back) {
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.log = log;
        this.lost = lost;
        this.back = back;
        this.lastAnswer = clock.instant();
    }

    /** Whether the service answered the last probe, and recently enough. */
    public boolean reachable() {
        return !failing && Duration.between(lastAnswer, clock.instant()).compareTo(staleAfter) <= 0;
    }

    /** Since when the service has not answered: the time of the last answer while it is unreachable, else null. */
    public Instant unreachableSince() {
        return reachable() ? null : unreachableSince != null ? unreachableSince : lastAnswer;
    }

    /** Why the last probe failed, or null. */
    public String lastError() {
        return failing ? lastError : null;
    }

    public Instant lastAnswer() {
        return lastAnswer;
    }

    /** A probe got its answer. */
    public void answered() {
        Instant now = clock.instant();
        Instant since = unreachableSince;
        lastAnswer = now;
        failing = false;
        lastError = null;
        if (since != null) {
            unreachableSince = null;
            log.infof(back, Duration.between(since, now).toSeconds());
        }
    }

    /** A probe failed; true when that made the service unreachable (it answered the probe before). */
    public boolean failed(String error) {
        lastError = error;
        failing = true;
        if (unreachableSince == null) {
            unreachableSince = lastAnswer;
            // One line, no stack trace: the service recovers by itself once it answers.
            log.warnf(lost, error);
            return true;
        }
        return false;
    }

    /**
     * Readiness check {@code name}: UP while reachable, with {@code state} and {@code lastAnswer},
     * and while not {@code unreachableSince} and the {@code error}.
     */
    public HealthCheckResponseBuilder response(String name) {
        boolean reachable = reachable();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name).status(reachable)
                .withData("state", reachable ? "reachable" : "unreachable")
                .withData("lastAnswer", lastAnswer.toString());
        Instant since = unreachableSince();
        if (since != null) {
            response.withData("unreachableSince", since.toString());
        }
        String error = lastError();
        if (error != null) {
            response.withData("error", error);
        }
        return response;
    }
}
