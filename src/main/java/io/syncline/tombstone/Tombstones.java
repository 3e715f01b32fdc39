package io.syncline.tombstone;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tombstones of erased people (table {@code privacy_tombstone}): digests of their identifiers,
 * each with the erasure request that laid it. The apply path asks for every record, so each
 * replica keeps them in memory and reloads them every {@code syncline.privacy.tombstone-refresh}
 * (route {@code privacy-tombstones}); a replica that lays or lifts tombstones reloads at once. An
 * erasure's first write waits two reloads, so every replica refuses the person before it.
 */
@ApplicationScoped
@Named("Tombstones")
public class Tombstones {

    @Inject
    AgroalDataSource dataSource;
    /** Digest to the erasure request that laid it; replaced whole on each reload. */
    private volatile Map<String, Long> digests = Map.of();

    /** The erasure request whose tombstone one of the digests matches, if any. */
    public Optional<Long> erasedBy(Collection<String> candidates) {
        Map<String, Long> current = digests;
        if (current.isEmpty()) {
            return Optional.empty();
        }
        for (String digest : candidates) {
            Long request = current.get(digest);
            if (request != null) {
                return Optional.of(request);
            }
        }
        return Optional.empty();
    }

    /** Whether any tombstone is in force: the apply path computes no digests while none is. */
    public boolean any() {
        return !digests.isEmpty();
    }

    /** Reloads the tombstones from the state store. */
    public void reload() throws SQLException {
        Map<String, Long> loaded = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT digest, request_id FROM privacy_tombstone");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                loaded.put(rows.getString(1), rows.getLong(2));
            }
        }
        digests = Map.copyOf(loaded);
    }

    /** Lays the request's tombstones in the caller's transaction (an identifier already tombstoned keeps its first request). */
    public void lay(Connection connection, String entity, long requestId, Collection<String> laid) throws SQLException {
        Sql.batch(connection, "INSERT INTO privacy_tombstone (digest, entity, request_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", laid, (insert, digest) -> {
            insert.setString(1, digest);
            insert.setString(2, entity);
            insert.setLong(3, requestId);
        });
    }

    /** The requests whose tombstones match any of the digests. */
    public List<Long> requestsMatching(Connection connection, Collection<String> candidates) throws SQLException {
        List<Long> requests = new java.util.ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT DISTINCT request_id FROM privacy_tombstone WHERE digest = ?")) {
            for (String digest : candidates) {
                select.setString(1, digest);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (!requests.contains(rows.getLong(1))) {
                            requests.add(rows.getLong(1));
                        }
                    }
                }
            }
        }
        return requests;
    }

    /** Lifts every tombstone of the requests (a re-consent); returns how many. */
    public int lift(Connection connection, Collection<Long> requests) throws SQLException {
        int lifted = 0;
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM privacy_tombstone WHERE request_id = ?")) {
            for (long request : requests) {
                delete.setLong(1, request);
                lifted += delete.executeUpdate();
            }
        }
        return lifted;
    }
}
