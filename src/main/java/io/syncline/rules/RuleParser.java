package io.syncline.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * Parses a rule's condition by a small grammar of its own, so that a model can compare values
 * and nothing more (no expression language, no method calls, no reflection: fit for a native image):
 *
 * <pre>
 * condition  := and ('or' and)*
 * and        := unary ('and' unary)*
 * unary      := 'not' unary | '(' condition ')' | test
 * test       := operand ('==' | '!=' | '&gt;' | '&gt;=' | '&lt;' | '&lt;=') operand
 *             | field 'is' ('present' | 'missing')
 *             | field 'changed'
 *             | field ('increases' | 'decreases') ['by' 'more' 'than' number ['%']]
 *             | 'same' '(' field (',' field)* ')' 'within' number ('s' | 'm' | 'h' | 'd') ['of' field]
 * operand    := field | 'previous.' field | number | 'text' | "text" | true | false | null
 * </pre>
 */
public final class RuleParser {

    /** A condition that does not parse: what was expected, and where (from 1). */
    public static final class SyntaxException extends RuntimeException {

        private final int position;

        SyntaxException(String message, int position) {
            super(message);
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "is", "present", "missing", "changed",
            "increases", "decreases", "by", "more", "than", "true", "false", "null", "previous", "same", "within", "of");
    private static final Map<String, ChronoUnit> WINDOW_UNITS = Map.of("s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

    private enum Kind {
        WORD, NUMBER, TEXT, SYMBOL, END
    }

    private record Token(Kind kind, String text, int position) {

        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equals(word);
        }

        String shown() {
            return kind == Kind.END ? "the end" : "'" + text + "'";
        }
    }

    private final List<Token> tokens;
    private int next;

    private RuleParser(String source) {
        this.tokens = tokenize(source);
    }

    /** @throws SyntaxException naming what was expected where */
    public static RuleCondition parse(String source) {
        if (source == null || source.isBlank()) {
            throw new SyntaxException("the condition is empty", 1);
        }
        RuleParser parser = new RuleParser(source);
        RuleCondition condition = parser.or();
        Token rest = parser.peek();
        if (rest.kind() != Kind.END) {
            throw new SyntaxException("unexpected " + rest.shown() + " after a complete condition; join conditions with"
                    + " 'and' or 'or'", rest.position());
        }
        return condition;
    }

    private RuleCondition or() {
        return joined("or", this::and, RuleCondition.Or::new);
    }

    private RuleCondition and() {
        return joined("and", this::unary, RuleCondition.And::new);
    }

    /** Operands of the next tighter level joined by {@code word}, left to right. */
    private RuleCondition joined(String word, Supplier<RuleCondition> operand, BinaryOperator<RuleCondition> join) {
        RuleCondition left = operand.get();
        while (peek().is(word)) {
            next++;
            left = join.apply(left, operand.get());
        }
        return left;
    }

    private RuleCondition unary() {
        if (peek().is("not")) {
            next++;
            return new RuleCondition.Not(unary());
        }
        if (peek().is("(")) {
            next++;
            RuleCondition inner = or();
            expect(")", "a closing ')'");
            return inner;
        }
        return test();
    }

    private RuleCondition test() {
        Token first = peek();
        if (first.is("same")) {
            next++;
            return same();
        }
        RuleCondition.Operand left = operand();
        Token operator = take();
        for (RuleCondition.Comparison comparison : RuleCondition.Comparison.values()) {
            if (operator.is(comparison.symbol)) {
                return new RuleCondition.Compare(left, comparison, operand());
            }
        }
        if (!(left instanceof RuleCondition.FieldValue field) || field.previous()) {
            throw new SyntaxException("expected a comparison (==, !=, >, >=, <, <=) after " + first.shown() + ", found "
                    + operator.shown(), operator.position());
        }
        if (operator.is("is")) {
            Token what = take();
            if (what.is("present") || what.is("missing")) {
                return new RuleCondition.Presence(field, what.is("present"));
            }
            throw new SyntaxException("expected 'present' or 'missing' after 'is', found " + what.shown(), what.position());
        }
        if (operator.is("changed")) {
            return new RuleCondition.Changed(field.field());
        }
        if (operator.is("increases") || operator.is("decreases")) {
            boolean decrease = operator.is("decreases");
            if (!peek().is("by")) {
                return new RuleCondition.Moves(field.field(), decrease, null, false);
            }
            next++;
            expect("more", "'more than' after 'by'");
            expect("than", "'than' after 'by more'");
            Token amount = take();
            if (amount.kind() != Kind.NUMBER || amount.text().startsWith("-")) {
                throw new SyntaxException("expected a positive number after 'by more than', found " + amount.shown(),
                        amount.position());
            }
            boolean percent = peek().is("%");
            if (percent) {
                next++;
            }
            return new RuleCondition.Moves(field.field(), decrease, new BigDecimal(amount.text()), percent);
        }
        throw new SyntaxException("expected a comparison (==, !=, >, >=, <, <=), 'is present', 'is missing', 'changed',"
                + " 'increases' or 'decreases' after " + first.shown() + ", found " + operator.shown(), operator.position());
    }

    /** After {@code same}: the fields in parentheses, the window, and the field it is measured on, if any. */
    private RuleCondition same() {
        expect("(", "'(' and the fields whose values repeat after 'same': same (amount, customer)");
        List<String> fields = new ArrayList<>();
        fields.add(field("a field"));
        while (peek().is(",")) {
            next++;
            fields.add(field("a field after ','"));
        }
        expect(")", "',' and another field, or ')' to close the fields");
        expect("within", "'within' and a window after the fields: within 24h");
        Token amount = take();
        if (amount.kind() != Kind.NUMBER || !amount.text().matches("\\d+")) {
            throw new SyntaxException("expected a whole number and a unit (s, m, h, d) after 'within', found " + amount.shown(),
                    amount.position());
        }
        Token unit = take();
        ChronoUnit chronoUnit = WINDOW_UNITS.get(unit.text());
        if (unit.kind() != Kind.WORD || chronoUnit == null || unit.position() != amount.position() + amount.text().length()) {
            throw new SyntaxException("expected a unit right after " + amount.text() + " (s, m, h or d: 24h), found "
                    + unit.shown(), unit.position());
        }
        Duration window = Duration.of(Long.parseLong(amount.text()), chronoUnit);
        if (window.isZero()) {
            throw new SyntaxException("the window must be longer than nothing", amount.position());
        }
        String over = null;
        if (peek().is("of")) {
            next++;
            over = field("a date or timestamp field after 'of'");
        }
        return new RuleCondition.Same(fields, window, over);
    }

    private String field(String what) {
        Token token = take();
        if (token.kind() != Kind.WORD || KEYWORDS.contains(token.text())) {
            throw new SyntaxException("expected " + what + ", found " + token.shown(), token.position());
        }
        return token.text();
    }

    private RuleCondition.Operand operand() {
        Token token = take();
        switch (token.kind()) {
            case NUMBER :
                return new RuleCondition.Literal(new BigDecimal(token.text()));
            case TEXT :
                return new RuleCondition.Literal(token.text());
            case WORD :
                if (token.is("true") || token.is("false")) {
                    return new RuleCondition.Literal(Boolean.valueOf(token.text()));
                }
                if (token.is("null")) {
                    return new RuleCondition.Literal(null);
                }
                if (token.is("previous")) {
                    expect(".", "'.' and a field after 'previous' (previous.quantity)");
                    Token field = take();
                    if (field.kind() != Kind.WORD || KEYWORDS.contains(field.text())) {
                        throw new SyntaxException("expected a field after 'previous.', found " + field.shown(), field.position());
                    }
                    return new RuleCondition.FieldValue(field.text(), true);
                }
                if (!KEYWORDS.contains(token.text())) {
                    return new RuleCondition.FieldValue(token.text(), false);
                }
                break;
            default :
                break;
        }
        throw new SyntaxException("expected a field, a number or a quoted text, found " + token.shown(), token.position());
    }

    private void expect(String symbol, String what) {
        Token token = take();
        if (!token.is(symbol)) {
            throw new SyntaxException("expected " + what + ", found " + token.shown(), token.position());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                while (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, source.substring(start, i), start + 1));
            } else if (Character.isDigit(c) || c == '-' && i + 1 < source.length() && Character.isDigit(source.charAt(i + 1))) {
                i++;
                while (i < source.length() && (Character.isDigit(source.charAt(i)) || source.charAt(i) == '.')) {
                    i++;
                }
                String number = source.substring(start, i);
                if (!number.matches("-?\\d+(\\.\\d+)?")) {
                    throw new SyntaxException("'" + number + "' is not a number", start + 1);
                }
                tokens.add(new Token(Kind.NUMBER, number, start + 1));
            } else if (c == '\'' || c == '"') {
                int end = source.indexOf(c, i + 1);
                if (end < 0) {
                    throw new SyntaxException("the text opened here is never closed with " + c, start + 1);
                }
                tokens.add(new Token(Kind.TEXT, source.substring(i + 1, end), start + 1));
                i = end + 1;
            } else if (source.startsWith("==", i) || source.startsWith("!=", i) || source.startsWith(">=", i)
                    || source.startsWith("<=", i)) {
                tokens.add(new Token(Kind.SYMBOL, source.substring(i, i + 2), start + 1));
                i += 2;
            } else if ("<>()%.,".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), start + 1));
                i++;
            } else {
                throw new SyntaxException("'" + c + "' is not part of a condition (use ==, !=, >, >=, <, <=, and, or, not)",
                        start + 1);
            }
        }
        tokens.add(new Token(Kind.END, "", source.length() + 1));
        return tokens;
    }
}
