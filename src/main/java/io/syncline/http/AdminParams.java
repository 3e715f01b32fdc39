package io.syncline.http;

import io.syncline.failure.BadParameterException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Reads the admin API's query parameters, taken as text so that a value of the wrong kind is a
 * 400 naming the parameter ({@link BadParameterException}) rather than JAX-RS' bare 404.
 */
public final class AdminParams {

    private AdminParams() {
    }

    /** A page size: absent is {@code fallback}; otherwise a whole number from 1, at most {@code max}. */
    public static int limit(String name, String value, int fallback, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        long limit = number(name, value);
        if (limit < 1 || limit > max) {
            throw new BadParameterException(name, name + " must be between 1 and " + max + "; got " + value);
        }
        return (int) limit;
    }

    /** An id: absent is null; otherwise a whole number. */
    public static Long id(String name, String value) {
        return value == null || value.isEmpty() ? null : number(name, value);
    }

    /** {@code true} or {@code false}; absent is false. */
    public static boolean flag(String name, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadParameterException(name, name + " must be true or false; got '" + value + "'");
        };
    }

    /** One of {@code allowed}, or absent (null). */
    public static String oneOf(String name, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw new BadParameterException(name, name + " '" + shorten(value) + "' is unknown; use one of "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
        return value;
    }

    /** Text that filters: absent or blank is null (no filter). */
    public static String text(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A time: an ISO-8601 date-time with its offset ({@code 2024-05-01T09:30:00Z},
     * {@code 2024-05-01T11:30:00+02:00}), or without one, or a date ({@code 2024-05-01}), both
     * taken in UTC; absent is null.
     */
    public static Instant instant(String name, String value) {
        if (text(value) == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw new BadParameterException(name, name + " must be an ISO-8601 time (2024-05-01T09:30:00Z) or date"
                            + " (2024-05-01); got '" + shorten(value) + "'");
                }
            }
        }
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new BadParameterException(name, name + " must be a whole number; got '" + shorten(value) + "'");
        }
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
