package io.syncline.connector.rest;

import io.syncline.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The store of table {@code oauth_grant}: per REST system, the sealed refresh and access tokens of
 * its OAuth 2.0 authorization-code grant and whether it needs consent. {@link #refresh} runs the
 * caller's token request while holding the system's row lock ({@code SELECT … FOR UPDATE}), so that
 * replicas refresh one after the other and each sees the tokens the one before it stored.
 */
public final class OAuthGrantRepository {

    private static final String COLUMNS = "refresh_token, access_token, access_expires_at, refreshed_count, consent_needed";

    private final DataSource store;
    private final Clock clock;

    public OAuthGrantRepository(DataSource store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The grant as stored, tokens sealed. */
    public record Grant(String refreshToken, String accessToken, Instant accessExpiresAt, long refreshedCount,
            String consentNeeded) {

        @Override
        public String toString() {
            return "Grant[tokens hidden, accessExpiresAt=" + accessExpiresAt + ", refreshedCount=" + refreshedCount
                    + ", consentNeeded=" + consentNeeded + "]";
        }
    }

    /** What a refresh under the lock decided: new sealed tokens, or that consent is needed. */
    public sealed interface Outcome {
    }

    /** New tokens: the refresh token is kept when the provider did not send a new one. */
    public record Refreshed(String refreshToken, String accessToken, Instant accessExpiresAt) implements Outcome {
    }

    /** The provider refused the refresh token for good (invalid_grant): nothing works until consent. */
    public record ConsentNeeded(String reason) implements Outcome {
    }

    /** The stored grant was good enough: nothing to write. */
    public record Unchanged() implements Outcome {
    }

    /** The work done while the row is locked; it may call the provider. */
    @FunctionalInterface
    public interface LockedWork {

        Outcome apply(Grant locked);
    }

    public Optional<Grant> find(String system) throws SQLException {
        return Sql.optional(store, "SELECT " + COLUMNS + " FROM oauth_grant WHERE system_name = ?", select -> select.setString(1, system), row -> grant(row));
    }

    /**
     * Runs {@code work} on the system's grant under its row lock, waiting at most {@code lockWait}
     * for another replica's refresh, and stores what it decided in the same transaction.
     *
     * @return the grant as stored after the work
     */
    public Grant refresh(String system, Duration lockWait, LockedWork work) throws SQLException {
        ensureRow(system);
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Grant locked;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM oauth_grant WHERE system_name = ? FOR UPDATE")) {
                    select.setQueryTimeout((int) Math.max(1, lockWait.toSeconds()));
                    select.setString(1, system);
                    try (ResultSet row = select.executeQuery()) {
                        row.next();
                        locked = grant(row);
                    }
                }
                Outcome outcome = work.apply(locked);
                Grant stored = locked;
                if (outcome instanceof Refreshed refreshed) {
                    String refreshToken = refreshed.refreshToken() == null ? locked.refreshToken() : refreshed.refreshToken();
                    Sql.update(connection, "UPDATE oauth_grant SET refresh_token = ?,"
                            + " access_token = ?, access_expires_at = ?, refreshed_count = refreshed_count + 1,"
                            + " consent_needed = NULL, updated_at = ? WHERE system_name = ?", update -> {
                                update.setString(1, refreshToken);
                                update.setString(2, refreshed.accessToken());
                                update.setTimestamp(3, refreshed.accessExpiresAt() == null ? null
                                        : Timestamp.from(refreshed.accessExpiresAt()));
                                update.setTimestamp(4, Timestamp.from(clock.instant()));
                                update.setString(5, system);
                            });
                    stored = new Grant(refreshToken, refreshed.accessToken(), refreshed.accessExpiresAt(),
                            locked.refreshedCount() + 1, null);
                } else if (outcome instanceof ConsentNeeded needed) {
                    Sql.update(connection, "UPDATE oauth_grant SET access_token = NULL,"
                            + " access_expires_at = NULL, consent_needed = ?, updated_at = ? WHERE system_name = ?", update -> {
                                update.setString(1, truncate(needed.reason()));
                                update.setTimestamp(2, Timestamp.from(clock.instant()));
                                update.setString(3, system);
                            });
                    stored = new Grant(locked.refreshToken(), null, null, locked.refreshedCount(), truncate(needed.reason()));
                }
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Stores a refresh token an operator obtained (seed or consent): the grant starts over from it. */
    public void grant(String system, String sealedRefreshToken, String sealedAccessToken, Instant accessExpiresAt)
            throws SQLException {
        ensureRow(system);
        Sql.update(store, "UPDATE oauth_grant SET refresh_token = ?,"
                + " access_token = ?, access_expires_at = ?, consent_needed = NULL, consent_state = NULL,"
                + " consent_started_at = NULL, updated_at = ? WHERE system_name = ?", update -> {
                    update.setString(1, sealedRefreshToken);
                    update.setString(2, sealedAccessToken);
                    update.setTimestamp(3, accessExpiresAt == null ? null : Timestamp.from(accessExpiresAt));
                    update.setTimestamp(4, Timestamp.from(clock.instant()));
                    update.setString(5, system);
                });
    }

    /** Records a consent under way by the digest of its {@code state} parameter. */
    public void startConsent(String system, String stateDigest) throws SQLException {
        ensureRow(system);
        Sql.update(store, "UPDATE oauth_grant SET consent_state = ?,"
                + " consent_started_at = ?, updated_at = ? WHERE system_name = ?", update -> {
                    Timestamp now = Timestamp.from(clock.instant());
                    update.setString(1, stateDigest);
                    update.setTimestamp(2, now);
                    update.setTimestamp(3, now);
                    update.setString(4, system);
                });
    }

    /**
     * Ends the consent of {@code system} whose state has this digest, if it started after
     * {@code notBefore}: true once, for the one callback that may complete it.
     */
    public boolean takeConsent(String system, String stateDigest, Instant notBefore) throws SQLException {
        return Sql.update(store, "UPDATE oauth_grant SET consent_state = NULL,"
                + " consent_started_at = NULL WHERE system_name = ? AND consent_state = ? AND consent_started_at >= ?", update -> {
                    update.setString(1, system);
                    update.setString(2, stateDigest);
                    update.setTimestamp(3, Timestamp.from(notBefore));
                }) == 1;
    }

    /** The row must exist to be locked; two replicas may race to make it, and one insert then fails harmlessly. */
    private void ensureRow(String system) throws SQLException {
        try (Connection connection = store.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO oauth_grant (system_name, updated_at)"
                        + " SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM oauth_grant WHERE system_name = ?)")) {
            connection.setAutoCommit(true);
            insert.setString(1, system);
            insert.setTimestamp(2, Timestamp.from(clock.instant()));
            insert.setString(3, system);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static Grant grant(ResultSet row) throws SQLException {
        Timestamp expires = row.getTimestamp(3);
        return new Grant(row.getString(1), row.getString(2), expires == null ? null : expires.toInstant(), row.getLong(4),
                row.getString(5));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
