package io.syncline.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A backlog in the Quickstart's inbox: contacts stored as its CRM webhook stores them, all in one
 * statement, so that the dispatcher's next claim finds them together (as after an outage, or
 * when webhooks arrive faster than they are applied).
 */
public final class InboxBacklog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InboxBacklog() {
    }

    /** Metric {@code syncline.inbox.batched.events} of an outcome ({@code committed}, {@code rolled_back}) so far. */
    public static double batchedEvents(MeterRegistry meters, String outcome) {
        Counter counter = meters.find("syncline.inbox.batched.events").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Stores the contacts (each with an {@code id}) as pending events for billing; their inbox ids, in order. */
    public static List<Long> store(List<Map<String, Object>> contacts) {
        return store("billing", contacts);
    }

    /** Stores the contacts as pending events from the CRM for the target's apply route; their inbox ids, in order. */
    public static List<Long> store(String target, List<Map<String, Object>> contacts) {
        return storeIn(TestDatabase.url(), target, contacts);
    }

    /** As {@link #store(String, List)}, in the state store at {@code databaseUrl}. */
    public static List<Long> storeIn(String databaseUrl, String target, List<Map<String, Object>> contacts) {
        return storeIn(databaseUrl, "contact", "crm", target, contacts);
    }

    /** As {@link #storeIn(String, String, List)}, for records of {@code entity} from {@code source}. */
    public static List<Long> storeIn(String databaseUrl, String entity, String source, String target,
            List<Map<String, Object>> contacts) {
        String values = String.join(", ", Collections.nCopies(contacts.size(), "('" + source + "-" + entity + "-webhook', 'direct:"
                + entity + "-" + source + "-to-" + target + "', '" + entity + "', '" + source + "', ?, CAST(? AS TEXT), 'webhook')"));
        try (Connection connection = TestDatabase.connect(databaseUrl); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, payload, origin) VALUES "
                        + values + " RETURNING id")) {
            int parameter = 1;
            for (Map<String, Object> contact : contacts) {
                insert.setString(parameter++, String.valueOf(contact.get("id")));
                insert.setString(parameter++, JSON.writeValueAsString(contact));
            }
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Storing a backlog of " + contacts.size() + " contacts failed", e);
        }
    }

    /** The status of the newest inbox event whose payload holds {@code text}, once one is settled: done, held or dead. */
    public static String awaitSettled(String database, String text) {
        return (String) TestDatabase.awaitRowsOn(database, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + text + "%").get(0).get("status");
    }
}
