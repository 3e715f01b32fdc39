package io.syncline.mapping.transform;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code timestamp}: an instant, canonically a UTC ISO-8601 string ({@code 2024-03-01T09:30:00Z}).
 * Reads ISO-8601 with an offset, a zone or neither, then the declared {@code formats}; a value
 * without an offset is in {@code zone} (default UTC), and a date alone means the start of that day.
 * A local time that a daylight-saving change skips is moved forward by the gap, as java.time does.
 * Numbers are epoch milliseconds, or seconds with {@code epoch: seconds} (Stripe's {@code created});
 * java.time and {@code java.util.Date} values are taken as they are.
 * <p>
 * Towards the system: {@code outputFormat} in {@code zone} when declared; else an ISO offset
 * date-time in {@code zone} when a zone is declared; else the canonical string unchanged. An
 * {@code outputFormat} without an offset ({@code XXX}) cannot tell apart the hour repeated in
 * autumn, nor keep what it has no letters for (seconds in {@code dd/MM/yyyy HH:mm}); declare
 * them when the system can read them. With {@code epoch: seconds} (and no output format or zone), the
 * system is written the epoch seconds.
 */
final class TimestampTransform implements FieldTransform {

    static final String NAME = "timestamp";
    private static final String EXAMPLE = "{timestamp: {formats: [\"dd/MM/yyyy HH:mm\"], zone: Europe/London}}";
    private static final Map<String, DateTimeFormatter> ISO = isoForms();

    private final TemporalFormats formats;
    private final ZoneId zone;
    private final boolean zoneDeclared;
    private final boolean epochSeconds;
    /** The canonical text is memoised with the instant: formatting an instant costs as much as a memo hit. */
    private final Readings<Optional<Reading>> readings = Readings.bounded();

    private record Reading(Instant instant, String canonical) {

        Reading(Instant instant) {
            this(instant, instant.toString());
        }
    }

    private TimestampTransform(TemporalFormats formats, ZoneId zone, boolean zoneDeclared, boolean epochSeconds) {
        this.formats = formats;
        this.zone = zone;
        this.zoneDeclared = zoneDeclared;
        this.epochSeconds = epochSeconds;
    }

    static TimestampTransform create(Object parameters) {
        TransformParameters params = TransformParameters.read(NAME, parameters, EXAMPLE,
                Set.of("formats", "zone", "outputFormat", "epoch"));
        ZoneId zone = params.optionalString("zone").map(id -> zone(params, id)).orElse(ZoneOffset.UTC);
        String epoch = params.optionalString("epoch").orElse("milliseconds");
        if (!epoch.equals("milliseconds") && !epoch.equals("seconds")) {
            throw params.invalid("epoch '" + epoch + "' is no unit of epoch numbers",
                    "write epoch: seconds (Stripe's created) or epoch: milliseconds, the default");
        }
        return new TimestampTransform(TemporalFormats.read(params, ISO), zone, params.has("zone"), epoch.equals("seconds"));
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        if (value instanceof CharSequence text) {
            Reading reading = reading(text, context, Direction.TO_CANONICAL);
            return reading == null ? null : reading.canonical();
        }
        Instant instant = instant(value, context, Direction.TO_CANONICAL);
        return instant == null ? null : instant.toString();
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        if (value == null || (formats.output().isEmpty() && !zoneDeclared && !epochSeconds)) {
            return value;
        }
        Instant instant = instant(value, context, Direction.TO_SYSTEM);
        if (instant == null) {
            return null;
        }
        if (epochSeconds && formats.output().isEmpty() && !zoneDeclared) {
            return instant.getEpochSecond();
        }
        DateTimeFormatter output = formats.output().orElse(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return output.format(instant.atZone(zone));
    }

    private Instant instant(Object value, TransformContext context, Direction direction) {
        if (value == null) {
            return null;
        }
        if (value instanceof CharSequence text) {
            Reading reading = reading(text, context, direction);
            return reading == null ? null : reading.instant();
        }
        if (value instanceof Long || value instanceof Integer) {
            long number = ((Number) value).longValue();
            return epochSeconds ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof Date date) {
            // java.sql.Date refuses toInstant(); its milliseconds are still the instant.
            return Instant.ofEpochMilli(date.getTime());
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof TemporalAccessor temporal) {
            try {
                return instantOf(temporal);
            } catch (DateTimeException notADateTime) {
                // A LocalTime or a YearMonth alone is not a point in time; reported below.
            }
        }
        throw new TypeCoercionException(context, direction, value, "a timestamp",
                "type " + value.getClass().getSimpleName()
                        + "; use text, epoch milliseconds (Long) or a java.time date-time");
    }

    private Reading reading(CharSequence value, TransformContext context, Direction direction) {
        String trimmed = value.toString().strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        return readings.get(trimmed, key -> formats.parse(key, this::instantOf).map(Reading::new)).orElseThrow(
                () -> new UnparseableTimestampException(context, direction, value, formats.names()));
    }

    /** Offset first: with both an offset and a zone, the offset settles the hour repeated in autumn. */
    private Instant instantOf(TemporalAccessor parsed) {
        ZoneOffset offset = parsed.query(TemporalQueries.offset());
        ZoneId parsedZone = offset != null ? offset : parsed.query(TemporalQueries.zone());
        LocalDate date = LocalDate.from(parsed);
        LocalTime time = parsed.query(TemporalQueries.localTime());
        LocalDateTime local = time == null ? date.atStartOfDay() : date.atTime(time);
        return ZonedDateTime.ofLocal(local, parsedZone == null ? zone : parsedZone, null).toInstant();
    }

    /** ISO-8601 as java.time reads it, and with a space instead of the 'T' as databases export it. */
    private static Map<String, DateTimeFormatter> isoForms() {
        Map<String, DateTimeFormatter> forms = new LinkedHashMap<>();
        forms.put("ISO-8601", DateTimeFormatter.ISO_DATE_TIME);
        forms.put("ISO-8601 with a space", new DateTimeFormatterBuilder().parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
                .optionalStart().appendOffsetId().optionalEnd()
                .toFormatter());
        // Salesforce's datetimes (2024-03-01T09:30:00.000+0000), and others': an offset without its colon.
        forms.put("ISO-8601 with a +hhmm offset", new DateTimeFormatterBuilder().parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
                .appendOffset("+HHMM", "Z")
                .toFormatter());
        return forms;
    }

    private static ZoneId zone(TransformParameters params, String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw params.invalid("zone '" + id + "' is not a time zone",
                    "use a region ID such as Europe/London or America/New_York, or UTC");
        }
    }
}
