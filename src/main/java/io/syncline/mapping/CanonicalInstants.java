package io.syncline.mapping;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;

/**
 * Canonical timestamps ({@code 2024-03-01T09:30:00Z}, what the {@code timestamp} transform writes)
 * read and written without java.time's general formatter, which costs microseconds and a dozen
 * objects a time: a reconciliation reads one per record, and the real-time path read the same
 * event's modification time four times (the idempotent consumer, the conflict processor, the
 * record state, the target's bind). Text in any other form is left to java.time by the caller.
 */
public final class CanonicalInstants {

    /** Where {@link Instant#toString} writes a year of four digits. */
    private static final long FIRST_SECOND_OF_YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * 86_400L;
    private static final long FIRST_SECOND_OF_YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400L;

    private CanonicalInstants() {
    }

    /**
     * A time value as a database or a client library hands it out, in the form canonical records
     * carry: instants as ISO-8601 UTC text (as the timestamp transform writes them), dates as ISO
     * dates; zoneless timestamps are UTC, since Syncline's database sessions are pinned to UTC.
     * Without this a row read back could never equal the values written to it. Any other value is
     * returned as it is.
     */
    public static Object canonical(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.toInstant().toString();
        }
        if (value instanceof java.time.ZonedDateTime dateTime) {
            return dateTime.toInstant().toString();
        }
        if (value instanceof java.time.LocalDateTime dateTime) {
            return dateTime.toInstant(java.time.ZoneOffset.UTC).toString();
        }
        if (value instanceof Instant || value instanceof LocalDate) {
            return value.toString();
        }
        return value;
    }

    /**
     * Reads {@code 2024-03-01T09:30:00Z} or {@code 2024-03-01T09:30:00.250Z} (what the timestamp
     * transform writes, one per record in a reconciliation) without java.time's general parser,
     * which costs microseconds and a dozen objects; anything else is null, for that parser to read.
     * What this reads, {@link OffsetDateTime#parse} and {@link Instant#parse} read as the same instant.
     */
    public static Instant read(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            int fraction = digits(text, 20, length - 1);
            if (text.charAt(19) != '.' || fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 21; i < 9; i++) {
                nanos *= 10;
            }
        } else if (text.charAt(19) != 'Z') {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second,
                nanos);
    }

    /** The decimal number written in {@code text[from, to)}, or -1 if any character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * {@link Instant#toString} written directly for years 0000 to 9999 (java.time's formatter was a
     * twentieth of a full pull's CPU where the driver hands every record's timestamp as a
     * {@code Timestamp}); other years through it. The fraction comes in groups of three digits, as
     * there.
     */
    public static String text(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND_OF_YEAR_0 || seconds >= FIRST_SECOND_OF_YEAR_10000) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        StringBuilder text = new StringBuilder(30);
        pad(text, date.getYear(), 4).append('-');
        pad(text, date.getMonthValue(), 2).append('-');
        pad(text, date.getDayOfMonth(), 2).append('T');
        pad(text, secondOfDay / 3_600, 2).append(':');
        pad(text, secondOfDay / 60 % 60, 2).append(':');
        pad(text, secondOfDay % 60, 2);
        int nanos = instant.getNano();
        if (nanos % 1_000_000 == 0 && nanos > 0) {
            pad(text.append('.'), nanos / 1_000_000, 3);
        } else if (nanos % 1_000 == 0 && nanos > 0) {
            pad(text.append('.'), nanos / 1_000, 6);
        } else if (nanos > 0) {
            pad(text.append('.'), nanos, 9);
        }
        return text.append('Z').toString();
    }

    /** {@code value} (not negative) in at least {@code width} digits. */
    private static StringBuilder pad(StringBuilder text, int value, int width) {
        int widest = 1;
        for (int i = 1; i < width; i++) {
            widest *= 10;
        }
        for (int bound = widest; bound > 1 && value < bound; bound /= 10) {
            text.append('0');
        }
        return text.append(value);
    }
}
