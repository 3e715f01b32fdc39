package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Something the caller of an apply route claims in the sync unit's transaction before anything
 * else, carried as exchange property {@value ExchangeContract#UNIT_CLAIM}: the review item a resolution closes,
 * say. It commits with the write or not at all; a claim that fails (throws) stops the unit. A
 * claimed unit must apply: a duplicate, stale or echo verdict fails it with
 * {@link SyncNotAppliedException} rather than committing a skip.
 */
@FunctionalInterface
public interface UnitClaim {

    void claim(Connection connection) throws SQLException;

    /** A remark for the audit entry of the write it claims (who decided it, say); none by default. */
    default String note() {
        return null;
    }
}
