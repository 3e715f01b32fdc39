package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Map;

/**
 * How a REST API is asked for the records changed since a time ({@code polls.<system>.changes}):
 * the query parameter that carries the poll's watermark, how it writes the time, and the other
 * parameters every such request carries (the order oldest first, which the poll needs). The
 * record's own modification time is at the path the mapping gives the entity's {@code modifiedAt}.
 *
 * @param param    the query parameter of the time ({@code updated_since}, {@code start_time})
 * @param format   how the parameter writes it; {@link TimeFormat#ISO_8601} when left out
 * @param query    further query parameters of every changes request ({@code sort_by: update_time})
 * @param resource the collection path of the changes when it is not the mapping's resource
 *                 ({@code /api/v2/incremental/users.json})
 * @param sorted   whether the API answers the changes oldest first (the default); {@code false} for one
 *                 that sorts them otherwise or not at all (Amazon's orders): the poll then moves its
 *                 watermark once it has read every page, not after each
 * @param value    the parameter's value where the API takes an expression rather than a bare time, with
 *                 {@code {time}} where the time goes ({@code lastmodifieddate:[{time}..]}); the time alone
 *                 when left out
 */
@RegisterForReflection
public record ChangeFilter(String param, TimeFormat format, Map<String, String> query, String resource, Boolean sorted,
        String value) {

    /** Where the time goes in {@link #value}. */
    public static final String TIME = "{time}";

    public ChangeFilter {
        format = format == null ? TimeFormat.ISO_8601 : format;
        query = query == null ? Map.of() : query;
    }

    public ChangeFilter(String param, TimeFormat format, Map<String, String> query, String resource) {
        this(param, format, query, resource, null, null);
    }

    /** The parameter's value for changes since {@code time}: the time as the format writes it, within {@link #value} if given. */
    public String valueSince(Instant time) {
        String written = format.write(time);
        return value == null ? written : value.replace(TIME, written);
    }

    /** Whether the API answers changes oldest first, so that each page may move the watermark. */
    public boolean oldestFirst() {
        return sorted == null || sorted;
    }

    /** How an API writes a time in a query parameter, and a record's time when it is a number. */
    public enum TimeFormat {

        /** {@code 2024-03-01T09:30:00Z} (RFC 3339), with a fraction only when the time has one. */
        @JsonProperty("iso-8601")
        ISO_8601,
        /** Seconds since 1970-01-01T00:00:00Z ({@code 1709285400}), the fraction cut off. */
        @JsonProperty("epoch-seconds")
        EPOCH_SECONDS,
        /** Milliseconds since 1970-01-01T00:00:00Z ({@code 1709285400250}). */
        @JsonProperty("epoch-millis")
        EPOCH_MILLIS;

        /**
         * The time as the parameter's value. An epoch in whole seconds or milliseconds is cut down
         * to them: the API then answers from a little before the time, never after it.
         */
        public String write(Instant time) {
            return switch (this) {
                case ISO_8601 -> time.toString();
                case EPOCH_SECONDS -> Long.toString(time.getEpochSecond());
                case EPOCH_MILLIS -> Long.toString(time.toEpochMilli());
            };
        }

        /** A record's time given as a number, in this format's unit (ISO-8601 APIs that send numbers send milliseconds). */
        public Instant read(Number epoch) {
            return this == EPOCH_SECONDS ? Instant.ofEpochSecond(epoch.longValue()) : Instant.ofEpochMilli(epoch.longValue());
        }

        /** How a document or a problem names it: {@code epoch-seconds}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
