package io.syncline.target;

import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The match candidates of a batch's records new to the ID map, searched for all of them in one
 * query ({@link JdbcCandidateFinder#findAll}) at the first one's asking, where each would send
 * its own: one round trip, and one statement for PostgreSQL to plan and execute, instead of one a
 * new record. A record new to the ID map (its canonical id made in the batch) is linked to no
 * target, so its match rules are certain to search; any other record searches on its own when
 * its rules ask, as alone. Candidates are the target's rows before the batch writes any: what
 * the batch's own writes change, {@link BatchMatchCheck} covers.
 */
final class BatchCandidates {

    private final JdbcCandidateFinder finder;
    private final Connection connection;
    private final String target;
    private final List<CanonicalRecord> records;
    /** Each record's place, by canonical id (distinct in a batch: {@code syncGuard.admit} refuses a record twice). */
    private final Map<String, Integer> places = new HashMap<>();
    private List<List<MatchCandidate>> found;

    BatchCandidates(JdbcCandidateFinder finder, Connection connection, String target, List<CanonicalRecord> records) {
        this.finder = finder;
        this.connection = connection;
        this.target = target;
        this.records = List.copyOf(records);
        for (int i = 0; i < records.size(); i++) {
            places.put(records.get(i).canonicalId(), i);
        }
    }

    /** The record's candidates, or null when it is not one of the records searched for the batch. */
    List<MatchCandidate> of(CanonicalRecord record) throws SQLException {
        Integer place = places.get(record.canonicalId());
        if (place == null) {
            return null;
        }
        if (found == null) {
            found = finder.findAll(connection, records, target);
        }
        return found.get(place);
    }
}
