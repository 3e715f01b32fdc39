package io.syncline.testsupport;

import java.util.UUID;

/**
 * A record linked in a test database's ID map as after an earlier sync (a backfill, a link
 * import): one canonical id, and each system's own id of the record.
 */
public final class LinkedRecords {

    private LinkedRecords() {
    }

    /**
     * Links {@code entity}'s record under a new canonical id in each system of {@code systemsAndIds}
     * ({@code "crm", "co-1", "hubspot", "812"}); @return the canonical id
     */
    public static String link(String database, String entity, String... systemsAndIds) {
        if (systemsAndIds.length % 2 != 0) {
            throw new IllegalArgumentException("systems and ids come in pairs");
        }
        String canonical = UUID.randomUUID().toString();
        for (int i = 0; i < systemsAndIds.length; i += 2) {
            TestDatabase.queryOn(database, "INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES (?, ?, ?, ?)"
                    + " RETURNING canonical_id", entity, canonical, systemsAndIds[i], systemsAndIds[i + 1]);
        }
        return canonical;
    }
}
