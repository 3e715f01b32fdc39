package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * One way of finding a record in another system. Rules are tried in the order declared. A rule
 * says both how it judges candidates ({@link #find}) and how a SQL table is searched for them
 * ({@link #searchedField}, {@link #searchKey}, {@link #searchedExpression},
 * {@link #searchConditions}): the blocking queries
 * of a JDBC target, each on one column, whose rows the rule then judges.
 */
public interface MatchRule {

    /** Rows a rule's search reads: enough to see ambiguity, few enough to stay cheap. */
    int SEARCH_LIMIT = 25;

    String name();

    /**
     * Candidates this rule accepts, best first, each with its confidence; empty when it cannot
     * tell. {@code candidates} is only searched (and loaded) by rules that need it.
     */
    List<Scored> find(CanonicalRecord record, String targetSystem, Supplier<Collection<MatchCandidate>> candidates);

    /**
     * The canonical field whose column a search of a SQL table looks at; null for a rule that
     * searches no table (the ID map names its row).
     */
    default String searchedField() {
        return null;
    }

    /**
     * The key a search looks up for the record's value of {@link #searchedField} (never null or
     * blank: such a value is not searched for), bound as the one parameter of each of
     * {@link #searchConditions}; null when the value gives nothing to look up.
     */
    default String searchKey(Object value) {
        return null;
    }

    /**
     * The SQL expression of a table's {@code column} that the rule's search compares with the key:
     * an expression of the column alone, so that one expression index per rule serves it
     * (docs/model.md tells integrators how), or a generated column storing it where the database
     * cannot index an expression. Null for a rule that searches no table.
     */
    default String searchedExpression(String column) {
        return null;
    }

    /**
     * The WHERE clauses of the rule's search, each with its ORDER BY and LIMIT and with the key as
     * its one parameter, comparing {@code searched}: the {@link #searchedExpression} of the
     * column, or the name of a column that stores it. The texts depend on that alone, so that the
     * statement made of them is prepared once and reused.
     */
    default List<String> searchConditions(String searched) {
        return List.of();
    }

    record Scored(MatchCandidate candidate, double confidence) {
    }
}
