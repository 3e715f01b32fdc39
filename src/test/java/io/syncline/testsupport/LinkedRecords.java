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

    /** The id {@code system} has for the record of {@code entity} that {@code source} names {@code sourceId}, once the ID map links them. */
    public static String awaitLinkedId(String database, String entity, String source, String sourceId, String system) {
        return (String) TestDatabase.awaitRowsOn(database, "SELECT system_id FROM id_map WHERE entity = ? AND system = ?"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = ? AND system = ? AND system_id = ?)", entity, system,
                entity, source, sourceId).get(0).get("system_id");
    }
}
