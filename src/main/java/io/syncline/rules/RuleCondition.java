package io.syncline.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A rule's condition, parsed ({@link RuleParser}): a tree of tests over a change's new values
 * (the canonical record) and its previous ones (as Syncline last applied them). Nothing in it
 * runs code of the model's: it compares values, nothing else.
 */
public sealed interface RuleCondition {

    /**
     * The values a condition reads: the record's new values, its previous ones (empty when none are
     * known), and which of its {@link Same} conditions an earlier record repeats (looked up in the
     * state store before the condition is tested, so that testing stays a comparison of values).
     */
    record Change(Map<String, Object> current, Map<String, Object> previous, Set<Same> repeated) {

        public Change {
            previous = previous == null ? Map.of() : previous;
            repeated = repeated == null ? Set.of() : repeated;
        }

        public Change(Map<String, Object> current, Map<String, Object> previous) {
            this(current, previous, Set.of());
        }
    }

    boolean test(Change change);

    /** The canonical fields the condition reads. */
    void fields(Set<String> into);

    /** A value: a field's new or previous value, or a literal. */
    sealed interface Operand {

        Object value(Change change);
    }

    record FieldValue(String field, boolean previous) implements Operand {

        @Override
        public Object value(Change change) {
            return (previous ? change.previous() : change.current()).get(field);
        }
    }

    record Literal(Object value) implements Operand {

        @Override
        public Object value(Change change) {
            return value;
        }
    }

    enum Comparison {

        EQ("=="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<=");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        boolean ordering() {
            return this != EQ && this != NE;
        }
    }

    /** {@code amount > 10000}, {@code status == 'blocked'}, {@code quantity < reorderPoint}. */
    record Compare(Operand left, Comparison comparison, Operand right) implements RuleCondition {

        @Override
        public boolean test(Change change) {
            Object a = left.value(change);
            Object b = right.value(change);
            if (!comparison.ordering()) {
                boolean equal = equal(a, b);
                return comparison == Comparison.EQ ? equal : !equal;
            }
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            if (x == null || y == null) {
                return false; // a missing or non-numeric value meets no ordering
            }
            int order = x.compareTo(y);
            return switch (comparison) {
                case GT -> order > 0;
                case GE -> order >= 0;
                case LT -> order < 0;
                case LE -> order <= 0;
                default -> throw new IllegalStateException(comparison.name());
            };
        }

        @Override
        public void fields(Set<String> into) {
            collect(left, into);
            collect(right, into);
        }
    }

    /** {@code email is present}, {@code email is missing}: a value that is neither null nor blank. */
    record Presence(FieldValue field, boolean present) implements RuleCondition {

        @Override
        public boolean test(Change change) {
            Object value = field.value(change);
            boolean there = value != null && !(value instanceof String text && text.isBlank());
            return there == present;
        }

        @Override
        public void fields(Set<String> into) {
            into.add(field.field());
        }
    }

    /** {@code status changed}: the new value differs from the previous one, which is known. */
    record Changed(String field) implements RuleCondition {

        @Override
        public boolean test(Change change) {
            return change.previous().containsKey(field) && !equal(change.previous().get(field), change.current().get(field));
        }

        @Override
        public void fields(Set<String> into) {
            into.add(field);
        }
    }

    /**
     * {@code quantity decreases}, {@code quantity decreases by more than 50%}, {@code amount
     * increases by more than 1000}: from the previous value to the new one, by more than an amount
     * or a share of the previous value. Without a previous value nothing has changed.
     */
    record Moves(String field, boolean decrease, BigDecimal byMoreThan, boolean percent) implements RuleCondition {

        private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

        @Override
        public boolean test(Change change) {
            BigDecimal before = number(change.previous().get(field));
            BigDecimal after = number(change.current().get(field));
            if (before == null || after == null) {
                return false;
            }
            BigDecimal moved = decrease ? before.subtract(after) : after.subtract(before);
            if (moved.signum() <= 0) {
                return false;
            }
            if (byMoreThan == null) {
                return true;
            }
            if (!percent) {
                return moved.compareTo(byMoreThan) > 0;
            }
            // moved / |before| > p / 100, without dividing: moved * 100 > p * |before|
            return before.signum() != 0 && moved.multiply(HUNDRED).compareTo(byMoreThan.multiply(before.abs())) > 0;
        }

        @Override
        public void fields(Set<String> into) {
            into.add(field);
        }
    }

    /**
     * {@code same (amount, customer) within 24h of date}: another record of the entity had the same
     * values of {@code fields} (numbers by value), and its {@code over} field (a date or timestamp)
     * is within {@code window} of this one's; without {@code of}, the two were seen by Syncline
     * within the window. A record with any of these values missing repeats nothing.
     */
    record Same(List<String> fields, Duration window, String over) implements RuleCondition {

        public Same {
            fields = List.copyOf(fields);
        }

        @Override
        public boolean test(Change change) {
            return change.repeated().contains(this);
        }

        @Override
        public void fields(Set<String> into) {
            into.addAll(fields);
            if (over != null) {
                into.add(over);
            }
        }
    }

    /** Every {@link Same} in the condition, in the order written. */
    default List<Same> sames() {
        List<Same> found = new java.util.ArrayList<>();
        collectSames(this, found);
        return found;
    }

    private static void collectSames(RuleCondition condition, List<Same> into) {
        if (condition instanceof Same same) {
            into.add(same);
        } else if (condition instanceof Not not) {
            collectSames(not.inner(), into);
        } else if (condition instanceof And and) {
            collectSames(and.left(), into);
            collectSames(and.right(), into);
        } else if (condition instanceof Or or) {
            collectSames(or.left(), into);
            collectSames(or.right(), into);
        }
    }

    record Not(RuleCondition inner) implements RuleCondition {

        @Override
        public boolean test(Change change) {
            return !inner.test(change);
        }

        @Override
        public void fields(Set<String> into) {
            inner.fields(into);
        }
    }

    record And(RuleCondition left, RuleCondition right) implements RuleCondition {

        @Override
        public boolean test(Change change) {
            return left.test(change) && right.test(change);
        }

        @Override
        public void fields(Set<String> into) {
            left.fields(into);
            right.fields(into);
        }
    }

    record Or(RuleCondition left, RuleCondition right) implements RuleCondition {

        @Override
        public boolean test(Change change) {
            return left.test(change) || right.test(change);
        }

        @Override
        public void fields(Set<String> into) {
            left.fields(into);
            right.fields(into);
        }
    }

    private static void collect(Operand operand, Set<String> into) {
        if (operand instanceof FieldValue field) {
            into.add(field.field());
        }
    }

    /** Numbers by value (10000 equals 10000.00), anything else by its text; null only equals null. */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(String.valueOf(a), String.valueOf(b));
    }

    /** A number, or a text that is one; null otherwise. */
    static BigDecimal number(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number || value instanceof String) {
            try {
                return new BigDecimal(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
