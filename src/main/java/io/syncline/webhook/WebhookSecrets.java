package io.syncline.webhook;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.store.Sql;
import io.syncline.store.TokenCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The store of table {@code webhook_secret}: per system and webhook path, the signing secret its
 * sender handed over in a handshake ({@link SystemWebhook.Handshake}), sealed with
 * {@link TokenCipher}, and until when a handshake is awaited. A handshake is taken only while an
 * operator has one open ({@link #open}), so that nobody else can plant a secret of their own; taking
 * it closes it. Every replica reads the same rows: the handshake may reach any of them.
 */
@ApplicationScoped
public class WebhookSecrets {

    private final DataSource store;
    private final Clock clock;
    private volatile TokenCipher cipher;

    @Inject
    public WebhookSecrets(AgroalDataSource store) {
        this(store, Clock.systemUTC());
    }

    WebhookSecrets(DataSource store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A webhook's handshake as an operator sees it: never its secret. */
    @RegisterForReflection
    public record Handshake(String path, Instant openUntil, Instant receivedAt) {
    }

    /**
     * Awaits a handshake at the system's webhook path until {@code window} has passed; the row as stored.
     *
     * @throws IllegalArgumentException {@value TokenCipher#KEY_VARIABLE}, which would seal the secret, is
     *                                  missing or no key: the message says how to set it
     */
    public Handshake open(String system, String path, Duration window) throws SQLException {
        cipher();
        Instant until = clock.instant().plus(window);
        int updated = Sql.update(store, "UPDATE webhook_secret SET open_until = ? WHERE system_name = ? AND webhook_path = ?",
                update -> {
                    update.setTimestamp(1, Timestamp.from(until));
                    update.setString(2, system);
                    update.setString(3, path);
                });
        if (updated == 0) {
            try {
                Sql.update(store, "INSERT INTO webhook_secret (system_name, webhook_path, open_until) VALUES (?, ?, ?)",
                        insert -> {
                            insert.setString(1, system);
                            insert.setString(2, path);
                            insert.setTimestamp(3, Timestamp.from(until));
                        });
            } catch (SQLException e) {
                // another replica opened it at the same moment: its row, with the same window, is there
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        return handshakes(system).stream().filter(handshake -> handshake.path().equals(path)).findFirst().orElseThrow();
    }

    /**
     * Keeps the secret a handshake handed over, if one is awaited at that path now, and closes it.
     *
     * @return false when none is awaited: the handshake is not taken
     */
    public boolean take(String system, String path, String secret) throws SQLException {
        Instant now = clock.instant();
        return Sql.update(store, "UPDATE webhook_secret SET secret = ?, received_at = ?, open_until = NULL"
                + " WHERE system_name = ? AND webhook_path = ? AND open_until > ?", update -> {
                    update.setString(1, cipher().seal(secret, context(system, path)));
                    update.setTimestamp(2, Timestamp.from(now));
                    update.setString(3, system);
                    update.setString(4, path);
                    update.setTimestamp(5, Timestamp.from(now));
                }) == 1;
    }

    /** The secret the last handshake taken at the system's webhook path handed over; empty before one. */
    public Optional<String> secret(String system, String path) throws SQLException {
        return Sql.optional(store, "SELECT secret FROM webhook_secret WHERE system_name = ? AND webhook_path = ?"
                + " AND secret IS NOT NULL", select -> {
                    select.setString(1, system);
                    select.setString(2, path);
                }, row -> row.getString(1)).map(sealed -> cipher().open(sealed, context(system, path)));
    }

    /** The system's webhook paths that have a handshake taken or awaited. */
    public List<Handshake> handshakes(String system) throws SQLException {
        return Sql.list(store, "SELECT webhook_path, open_until, received_at FROM webhook_secret WHERE system_name = ?"
                + " ORDER BY webhook_path", select -> select.setString(1, system),
                row -> new Handshake(row.getString(1), instant(row.getTimestamp(2)), instant(row.getTimestamp(3))));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** A secret opens only in its own row. */
    private static String context(String system, String path) {
        return system + " " + path + " webhook_secret.secret";
    }

    private TokenCipher cipher() {
        TokenCipher current = cipher;
        if (current == null) {
            current = TokenCipher.of(ConfigProvider.getConfig().getOptionalValue(TokenCipher.KEY_VARIABLE, String.class)
                    .orElse(null));
            cipher = current;
        }
        return current;
    }
}
