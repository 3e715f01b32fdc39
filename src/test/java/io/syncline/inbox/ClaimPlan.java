package io.syncline.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A claim as PostgreSQL ran it: {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)} of one of
 * {@link InboxClaimQuery}'s SELECTs, in the caller's transaction after the claim's SQL was taken from
 * {@link InboxClaimQuery} (which sets the transaction to plan it bounded), as {@link InboxRepository#claimBatch} claims. It locks what it claims: the caller rolls back.
 */
final class ClaimPlan {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;
    private final List<JsonNode> nodes = new ArrayList<>();

    private ClaimPlan(JsonNode root) {
        this.root = root;
        collect(root);
    }

    static ClaimPlan explain(Connection connection, String claim, int limit) throws SQLException {
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + claim)) {
            explain.setTimestamp(1, Timestamp.from(Instant.now()));
            explain.setInt(2, limit);
            return read(explain);
        }
    }

    /** The claim prepared on the server as {@code name} (SQL {@code PREPARE}), executed for events due by now. */
    static ClaimPlan explainPrepared(Connection connection, String name, int limit) throws SQLException {
        // as the dispatcher does before each claim: the claim's SQL taken, its transaction set to plan it bounded
        InboxClaimQuery.bounded(connection);
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE "
                + name + "(CURRENT_TIMESTAMP, " + limit + ")")) {
            return read(explain);
        }
    }

    private static ClaimPlan read(PreparedStatement explain) throws SQLException {
        try (ResultSet rows = explain.executeQuery()) {
            rows.next();
            return new ClaimPlan(JSON.readTree(rows.getString(1)).get(0).get("Plan"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN answered no JSON", e);
        }
    }

    private void collect(JsonNode node) {
        nodes.add(node);
        node.path("Plans").forEach(this::collect);
    }

    /** The scan of the claimed events ({@code inbox i}). */
    JsonNode claimedEventsScan() {
        return scanOf("i");
    }

    private JsonNode scanOf(String alias) {
        return nodes.stream().filter(node -> alias.equals(node.path("Alias").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no scan of inbox " + alias + " in " + root));
    }

    /** Index entries the claim walked to find its events: rows the scan returned and rows it filtered out. */
    long eventsRead() {
        JsonNode scan = claimedEventsScan();
        return scan.path("Actual Rows").asLong() + scan.path("Rows Removed by Filter").asLong();
    }

    /** Shared buffers the whole claim touched. */
    long buffers() {
        return root.path("Shared Hit Blocks").asLong() + root.path("Shared Read Blocks").asLong();
    }

    /**
     * The claim walks {@code index} in id order under its limit, looking up each event's earlier
     * ones by record (a nested loop, an index range of the record's events), and reads no more
     * events than {@code maxRead}: nothing reads or sorts the whole pending set.
     */
    void assertBounded(String index, long maxRead) {
        assertThat(root.path("Node Type").asText()).as("the claim's top node, in %s", root).isEqualTo("Limit");
        assertThat(nodes).as("nodes that read every row of a set before the first is returned, in %s", root)
                .noneMatch(node -> List.of("Sort", "Incremental Sort", "Seq Scan", "Bitmap Heap Scan", "Hash",
                        "Hash Join", "Merge Join", "Materialize").contains(node.path("Node Type").asText()));
        JsonNode scan = claimedEventsScan();
        assertThat(scan.path("Node Type").asText()).as("scan of inbox i in %s", root).isEqualTo("Index Scan");
        assertThat(scan.path("Index Name").asText()).as("index of the scan of inbox i in %s", root).isEqualTo(index);
        assertThat(scan.path("Scan Direction").asText()).isEqualTo("Forward");
        assertThat(eventsRead()).as("events the claim read, in %s", root).isLessThanOrEqualTo(maxRead);
        JsonNode earlier = scanOf("e");
        assertThat(earlier.path("Node Type").asText()).as("look-up of earlier events in %s", root).isEqualTo("Index Scan");
        assertThat(earlier.path("Index Cond").asText()).as("look-up of earlier events in %s", root)
                .contains("record_key").contains("id < i.id");
        // by the record index from i.id on, or by the index of the events under lease (as few as the
        // workers' batches): either way an index, and no more rows a look-up than the claim's bound
        JsonNode later = scanOf("l");
        assertThat(later.path("Node Type").asText()).as("look-up of later events under lease in %s", root).isEqualTo("Index Scan");
        assertThat(later.path("Actual Rows").asLong() + later.path("Rows Removed by Filter").asLong())
                .as("events under lease read a look-up, in %s", root).isLessThanOrEqualTo(maxRead);
    }

    @Override
    public String toString() {
        return root.toPrettyString();
    }
}
