package io.syncline.inbox;

import io.syncline.store.Writes;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * What both adapters of the {@link Inbox} port do alike: once taken in, an event is a row of the
 * {@code inbox} table, claimed, completed, retried and handed back by {@link InboxRepository}.
 * The adapters differ in how events arrive and how a replay is put back.
 */
abstract class InboxRows implements Inbox {

    private final InboxRepository rows;
    private final StrandedClaims claims;

    /** For the adapters' client proxies (CDI makes one of a no-argument constructor), which pass every call on. */
    InboxRows() {
        this(null, null);
    }

    InboxRows(InboxRepository rows, StrandedClaims claims) {
        this.rows = rows;
        this.claims = claims;
    }

    /** The claims that lost their way while the state store was away are released first ({@link StrandedClaims}). */
    @Override
    public List<InboxEvent> claim(int limit) throws SQLException {
        return claims.claim(limit);
    }

    @Override
    public void complete(Writes writes, long id) throws SQLException {
        rows.complete(writes, id);
    }

    @Override
    public void complete(long id) throws SQLException {
        rows.finish(id, "done", null);
    }

    @Override
    public void finish(long id, String status, String reason) throws SQLException {
        rows.finish(id, status, reason);
    }

    @Override
    public void refuse(long id, String reason) throws SQLException {
        rows.refuse(id, reason);
    }

    @Override
    public void retryLater(long id, Duration delay, String reason) throws SQLException {
        rows.retryLater(id, delay, reason);
    }

    @Override
    public void retryLater(Collection<Long> ids, Duration delay, String reason) throws SQLException {
        rows.retryLater(ids, delay, reason);
    }

    @Override
    public void waitUntil(long id, Instant until, String reason) throws SQLException {
        rows.waitUntil(id, until, reason);
    }

    @Override
    public void waitWhilePaused(long id, String entity, String system, Instant until, String reason) throws SQLException {
        rows.waitWhilePaused(id, entity, system, until, reason);
    }

    @Override
    public int wakePaused(String entity, String system, String reasonPrefix) throws SQLException {
        return rows.wakePaused(entity, system, reasonPrefix);
    }

    @Override
    public void handBack(List<InboxEvent> events) throws SQLException {
        rows.handBack(events);
    }
}
