package io.syncline.rules;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A rule's condition, parsed ({@link RuleParser}): a tree of tests over a change's new values
 * (the canonical record) and its previous ones (as Syncline last applied them). Nothing in it
 * runs code of the model's: it compares values, nothing else.
 */
public sealed interface RuleCondition {

    /** The values a condition reads: the record's new values, and its previous ones (empty when none are known). */
    record Change(Map<String, Object> current, Map<String, Object> previous) {

        public Change {
            previous = previous == null ? Map.of() : previous;
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
