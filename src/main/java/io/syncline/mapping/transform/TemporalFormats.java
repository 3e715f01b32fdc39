package io.syncline.mapping.transform;

import java.text.ParsePosition;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalQuery;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The formats a {@code timestamp} or {@code date} transform reads, in the order tried: the ISO-8601
 * forms first, then the declared {@code formats}, then {@code outputFormat} (a system must be able
 * to read back what Syncline wrote to it). Declared patterns are {@link DateTimeFormatter} letters,
 * read case-insensitively with English month and day names, and resolved strictly: 31/02/2024 is
 * refused rather than moved to 29 February.
 */
final class TemporalFormats {

    private final Map<String, DateTimeFormatter> byName;
    private final DateTimeFormatter output;

    private TemporalFormats(Map<String, DateTimeFormatter> byName, DateTimeFormatter output) {
        this.byName = byName;
        this.output = output;
    }

    /** @param iso the ISO-8601 forms, by the names shown in error messages */
    static TemporalFormats read(TransformParameters params, Map<String, DateTimeFormatter> iso) {
        Map<String, DateTimeFormatter> byName = new LinkedHashMap<>(iso);
        for (String pattern : params.stringList("formats")) {
            byName.put(pattern, compile(params, pattern));
        }
        DateTimeFormatter output = params.optionalString("outputFormat").map(pattern -> {
            DateTimeFormatter formatter = compile(params, pattern);
            byName.putIfAbsent(pattern, formatter);
            return formatter;
        }).orElse(null);
        return new TemporalFormats(Collections.unmodifiableMap(byName), output);
    }

    /** The first format that reads the whole text, as the query resolves it; empty when none does. */
    <T> Optional<T> parse(String text, TemporalQuery<T> query) {
        for (DateTimeFormatter formatter : byName.values()) {
            // A cheap, exception-free look first: a format that does not fit costs no stack trace.
            ParsePosition position = new ParsePosition(0);
            if (formatter.parseUnresolved(text, position) == null || position.getIndex() != text.length()) {
                continue;
            }
            try {
                return Optional.of(formatter.parse(text, query));
            } catch (DateTimeParseException notThisFormat) {
                // Fits the pattern but not the calendar (31/02) or the query; the next format may fit.
            }
        }
        return Optional.empty();
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    Optional<DateTimeFormatter> output() {
        return Optional.ofNullable(output);
    }

    private static DateTimeFormatter compile(TransformParameters params, String pattern) {
        try {
            return new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern)
                    // Strict resolving needs an era for 'yyyy' (year of era); integrators mean the current one.
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(Locale.ENGLISH)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw params.invalid("format '" + pattern + "' is not a date-time pattern (" + e.getMessage() + ")",
                    "use DateTimeFormatter pattern letters, e.g. dd/MM/yyyy HH:mm, and quote literal text as in 'T'");
        }
    }
}
