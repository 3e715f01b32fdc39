package io.syncline.testsupport;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code WHERE} and {@code ORDER BY} clauses of a SOQL query, as the Salesforce stub applies
 * them (SOQL and SOSL Reference: "Condition Expression Syntax", "ORDER BY", "Date Formats and
 * Date Literals"): comparisons ({@code = != < <= > >=}) of a field with a string literal in single
 * quotes (backslash escapes), a dateTime literal ({@code 2024-03-01T09:30:00Z}, or with an offset
 * {@code +hh:mm}), a number, {@code true}, {@code false} or {@code null}, joined by {@code AND}
 * and {@code OR} and grouped in parentheses; {@code ORDER BY} fields, each {@code ASC} or
 * {@code DESC}, nulls first. A dateTime field compares as an instant. Anything else is a
 * {@link MalformedQueryException}, as Salesforce answers {@code MALFORMED_QUERY}.
 */
final class SoqlFilter {

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(\\()|(\\))|('(?:[^'\\\\]|\\\\.)*')|(!=|<=|>=|=|<|>)|(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:Z|[+-]\\d{2}:\\d{2}))"
                    + "|(-?\\d+(?:\\.\\d+)?)|([A-Za-z_][\\w.]*))");
    /** How the stub writes datetimes, as the REST API does: {@code 2024-03-01T09:30:00.000+0000}. */
    private static final DateTimeFormatter API_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HHMM", "Z").toFormatter();

    static final class MalformedQueryException extends RuntimeException {

        MalformedQueryException(String message) {
            super(message);
        }
    }

    private final List<String> tokens = new ArrayList<>();
    private int next;

    private SoqlFilter(String text) {
        Matcher matcher = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                if (text.substring(at).isBlank()) {
                    break;
                }
                throw new MalformedQueryException("unexpected token: " + text.substring(at).strip());
            }
            tokens.add(matcher.group().strip());
            at = matcher.end();
        }
    }

    /** The records a {@code WHERE} clause keeps. */
    static Predicate<Map<String, Object>> where(String clause) {
        SoqlFilter parser = new SoqlFilter(clause);
        Predicate<Map<String, Object>> condition = parser.or();
        if (parser.next != parser.tokens.size()) {
            throw new MalformedQueryException("unexpected token: " + parser.tokens.get(parser.next));
        }
        return condition;
    }

    /** The order an {@code ORDER BY} clause names. */
    static Comparator<Map<String, Object>> orderBy(String clause) {
        Comparator<Map<String, Object>> order = null;
        for (String item : clause.split(",")) {
            String[] words = item.strip().split("\\s+");
            if (words.length > 2 || (words.length == 2 && !words[1].matches("(?i)ASC|DESC"))) {
                throw new MalformedQueryException("unexpected token: " + item.strip());
            }
            String field = words[0];
            Comparator<Map<String, Object>> by = Comparator.comparing(record -> comparable(record.get(field)),
                    Comparator.nullsFirst(SoqlFilter::compare));
            if (words.length == 2 && words[1].equalsIgnoreCase("DESC")) {
                by = by.reversed();
            }
            order = order == null ? by : order.thenComparing(by);
        }
        return order;
    }

    private Predicate<Map<String, Object>> or() {
        Predicate<Map<String, Object>> left = and();
        while (accept("OR")) {
            Predicate<Map<String, Object>> right = and();
            Predicate<Map<String, Object>> first = left;
            left = record -> first.test(record) || right.test(record);
        }
        return left;
    }

    private Predicate<Map<String, Object>> and() {
        Predicate<Map<String, Object>> left = comparison();
        while (accept("AND")) {
            Predicate<Map<String, Object>> right = comparison();
            Predicate<Map<String, Object>> first = left;
            left = record -> first.test(record) && right.test(record);
        }
        return left;
    }

    private Predicate<Map<String, Object>> comparison() {
        if (accept("(")) {
            Predicate<Map<String, Object>> inner = or();
            expect(")");
            return inner;
        }
        String field = take();
        if (!field.matches("[A-Za-z_][\\w.]*")) {
            throw new MalformedQueryException("unexpected token: " + field);
        }
        String operator = take();
        Object literal = literal(take());
        return record -> {
            Object value = comparable(record.get(field));
            if (literal == null || value == null) {
                return operator.equals("=") ? value == literal : operator.equals("!=") && value != literal;
            }
            int order = compare(value, literal);
            return switch (operator) {
                case "=" -> order == 0;
                case "!=" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> throw new MalformedQueryException("unexpected token: " + operator);
            };
        };
    }

    private static Object literal(String token) {
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        if (token.matches("\\d{4}-.*")) {
            return OffsetDateTime.parse(token).toInstant();
        }
        if (token.matches("-?\\d+(\\.\\d+)?")) {
            return Double.valueOf(token);
        }
        return switch (token.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> throw new MalformedQueryException("unexpected token: " + token);
        };
    }

    /** A record's value as it compares: a datetime as its instant, a number as a double. */
    private static Object comparable(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text && text.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            try {
                return OffsetDateTime.parse(text, API_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return text;
            }
        }
        return value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a.getClass() != b.getClass()) {
            throw new MalformedQueryException("value of type " + a.getClass().getSimpleName() + " compared with "
                    + b.getClass().getSimpleName());
        }
        return ((Comparable) a).compareTo(b);
    }

    private boolean accept(String token) {
        if (next < tokens.size() && tokens.get(next).equalsIgnoreCase(token)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw new MalformedQueryException("expected " + token + (next < tokens.size() ? " at " + tokens.get(next) : ""));
        }
    }

    private String take() {
        if (next >= tokens.size()) {
            throw new MalformedQueryException("unexpected end of query");
        }
        return tokens.get(next++);
    }
}
