package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import io.syncline.store.StoreOutage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Claims that lost their way when the state store went away (a reset connection, a restart),
 * given back as soon as the store answers again rather than after their lease
 * ({@code syncline.inbox.lease}, a minute):
 * <ul>
 * <li>an event a worker failed on, whose failure could not be recorded for the same reason: it
 *     stays {@code processing}, and is released due at once, its attempt counted
 *     ({@link InboxRepository#release});</li>
 * <li>a claim whose commit may have reached the store while its answer was lost: its events are
 *     leased, and no worker has them. They are known by the claim's lease end, and given back as
 *     if never claimed ({@link InboxRepository#releaseClaims}).</li>
 * </ul>
 * The dispatcher releases both before its next claim ({@link #claim}), so that the first claim
 * the store answers takes them again; while the store is away that claim fails as it would have
 * anyway, and they wait for the next. What is kept is forgotten once its lease has run out: the
 * events are then claimed again as any whose worker died.
 *
 * <p>Releasing never applies an event twice: an event whose commit reached the store is done and
 * left alone, and one claimed again meanwhile has another attempt (or another lease) and is left
 * alone too. A replica that dies takes this memory with it; its claims then wait out their
 * leases, as before.
 */
@ApplicationScoped
public class StrandedClaims {

    @Inject
    InboxRepository inbox;
    @Inject
    SynclineConfig config;
    private final Clock clock = Clock.systemUTC();
    /** Each stranded event's id and the attempt it was claimed for, with the claim's lease end. */
    private final Map<Long, Stranded> events = new ConcurrentHashMap<>();
    /** The lease ends of claims that failed for want of the store. */
    private final Set<Instant> claims = ConcurrentHashMap.newKeySet();

    private record Stranded(int attempts, Instant forgetAfter) {
    }

    /**
     * Releases what is stranded, then claims up to {@code limit} due events
     * ({@link InboxRepository#claimBatch}), remembering the claim if it fails for want of
     * the store.
     */
    List<InboxEvent> claim(int limit) throws SQLException {
        release();
        if (limit <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        Instant until = now.plus(config.inbox().lease());
        try {
            return inbox.claimBatch(limit, now, until);
        } catch (SQLException | RuntimeException e) {
            if (StoreOutage.isOutage(e)) {
                claims.add(until);
            }
            throw e;
        }
    }

    /** A worker gives up event {@code id}, claimed for attempt {@code attempts}, its failure unrecorded. */
    void strand(long id, int attempts) {
        events.put(id, new Stranded(attempts, clock.instant().plus(config.inbox().lease())));
    }

    private void release() throws SQLException {
        Instant now = clock.instant();
        events.values().removeIf(stranded -> stranded.forgetAfter().isBefore(now));
        claims.removeIf(until -> until.isBefore(now));
        if (!events.isEmpty()) {
            Map<Long, Stranded> released = Map.copyOf(events);
            inbox.release(released.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().attempts())));
            released.forEach(events::remove);
        }
        if (!claims.isEmpty()) {
            Set<Instant> released = Set.copyOf(claims);
            inbox.releaseClaims(released);
            claims.removeAll(released);
        }
    }
}
