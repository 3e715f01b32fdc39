package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureRejectedException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Parses a sender's timestamp header and checks it against a symmetric tolerance window. */
final class Timestamps {

    // Digits only: Long.parseLong would also take "+17…" or "-17…", which no provider sends.
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

    private Timestamps() {
    }

    /** @param unit what the digits count, for the reason: "unix seconds" or "unix milliseconds" */
    static long parse(String header, String value, String unit) {
        if (!DIGITS.matcher(value).matches()) {
            throw new SignatureRejectedException("malformed " + header + " header: expected " + unit);
        }
        return Long.parseLong(value);
    }

    /**
     * Accepts a timestamp at most {@code tolerance} away from {@code now} in either direction:
     * older is a replay, newer is a sender clock we cannot trust. Exactly at the edge is accepted.
     *
     * @param unit {@link ChronoUnit#SECONDS} or {@link ChronoUnit#MILLIS}, the unit the sender uses
     */
    static void requireWithin(long timestamp, Instant now, Duration tolerance, ChronoUnit unit) {
        boolean millis = unit == ChronoUnit.MILLIS;
        long current = millis ? now.toEpochMilli() : now.getEpochSecond();
        long window = millis ? tolerance.toMillis() : tolerance.getSeconds();
        // Subtracting from the timestamp could overflow for absurd values; these bounds cannot.
        if (timestamp < current - window || timestamp > current + window) {
            throw new SignatureRejectedException("timestamp " + timestamp + " is outside the "
                    + tolerance.getSeconds() + " s tolerance");
        }
    }
}
