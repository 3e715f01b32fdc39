package io.syncline.mapping.transform;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code date}: a calendar date without time or zone, canonically ISO {@code yyyy-MM-dd}. Reads
 * ISO-8601, then the declared {@code formats}; a format with a time of day keeps the date as the
 * system wrote it. Takes {@code LocalDate} and {@code java.sql.Date} values as they are.
 * Towards the system: {@code outputFormat} when declared, else the canonical string unchanged.
 */
final class DateTransform implements FieldTransform {

    static final String NAME = "date";
    private static final String EXAMPLE = "{date: {formats: [\"dd/MM/yyyy\"]}}";
    private static final Map<String, DateTimeFormatter> ISO =
            Map.of("ISO-8601 (yyyy-MM-dd)", DateTimeFormatter.ISO_LOCAL_DATE);

    private final TemporalFormats formats;
    private final Readings<Optional<LocalDate>> readings = Readings.bounded();

    private DateTransform(TemporalFormats formats) {
        this.formats = formats;
    }

    static DateTransform create(Object parameters) {
        TransformParameters params = TransformParameters.read(NAME, parameters, EXAMPLE,
                Set.of("formats", "outputFormat"));
        return new DateTransform(TemporalFormats.read(params, ISO));
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        LocalDate date = date(value, context, Direction.TO_CANONICAL);
        return date == null ? null : date.toString();
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        if (value == null || formats.output().isEmpty()) {
            return value;
        }
        LocalDate date = date(value, context, Direction.TO_SYSTEM);
        return date == null ? null : formats.output().get().format(date);
    }

    private LocalDate date(Object value, TransformContext context, Direction direction) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (!(value instanceof CharSequence chars)) {
            throw new TypeCoercionException(context, direction, value, "a date",
                    "type " + value.getClass().getSimpleName() + "; use text such as 2024-03-01 or a LocalDate");
        }
        String text = chars.toString().strip();
        if (text.isEmpty()) {
            return null;
        }
        return readings.get(text, key -> formats.parse(key, LocalDate::from)).orElseThrow(
                () -> new UnparseableDateException(context, direction, value, formats.names()));
    }
}
