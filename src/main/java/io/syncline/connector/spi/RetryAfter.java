package io.syncline.connector.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header (RFC 9110 §10.2.3): a number of seconds ({@code 120}) or an
 * HTTP-date ({@code Fri, 31 Dec 1999 23:59:59 GMT}), or seconds with a fraction ({@code 2.0}, Shopify).
 * A date in the past means now; anything
 * else unreadable is ignored, and the ordinary backoff applies. An answer without it may say when its
 * rate limit's window resets instead ({@link #of}): {@code X-RateLimit-Reset} (Intercom) or
 * {@code X-Rate-Limit-Reset} (Okta) in Unix seconds; or the rate its operation is limited to,
 * {@code x-amzn-RateLimit-Limit} in requests a second (Amazon's Selling Partner API), whose one request
 * comes back after the reciprocal of it.
 */
public final class RetryAfter {

    /** How many times a pull asks for one page again after a 429 or 503 before it gives up. */
    public static final int PULL_RETRIES = 5;
    /** The longest wait a pull accepts from a {@code Retry-After}. */
    public static final Duration LONGEST_PULL_WAIT = Duration.ofMinutes(2);

    private RetryAfter() {
    }

    /** The wait a 429 or 503 asks a pull for (seconds or an HTTP-date), at most {@link #LONGEST_PULL_WAIT}; a second when it says none. */
    public static Duration ofPull(java.net.http.HttpResponse<?> response) {
        return ofPull(response, null);
    }

    /** As {@link #ofPull(java.net.http.HttpResponse)}, {@code penalty} (when not null) where a 429 names no wait. */
    public static Duration ofPull(java.net.http.HttpResponse<?> response, Duration penalty) {
        Duration named = of(response.headers(), Instant.now()).orElse(null);
        Duration wait = named != null ? named : penalty != null && response.statusCode() == 429 ? penalty : Duration.ofSeconds(1);
        return wait.compareTo(LONGEST_PULL_WAIT) > 0 ? LONGEST_PULL_WAIT : wait;
    }

    /**
     * The wait an answer asks for: its {@code Retry-After}, else the time until its
     * {@code X-RateLimit-Reset} (as Intercom sends it with a 429) or {@code X-Rate-Limit-Reset} (Okta's)
     * when that is a Unix time in seconds, no wait when that time has passed.
     */
    public static Optional<Duration> of(java.net.http.HttpHeaders headers, Instant now) {
        Optional<Duration> retryAfter = parse(headers.firstValue("Retry-After").orElse(null), now);
        if (retryAfter.isPresent()) {
            return retryAfter;
        }
        String reset = headers.firstValue("X-RateLimit-Reset").or(() -> headers.firstValue("X-Rate-Limit-Reset"))
                .map(String::strip).orElse("");
        if (!reset.matches("\\d{10}")) {
            return perRequest(headers.firstValue("x-amzn-RateLimit-Limit").map(String::strip).orElse(""));
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(reset));
        return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    }

    /** The time one request of a rate of {@code rate} requests a second takes to come back ({@code 0.0167}: a minute). */
    private static Optional<Duration> perRequest(String rate) {
        if (!rate.matches("\\d{1,9}(\\.\\d{1,9})?")) {
            return Optional.empty();
        }
        java.math.BigDecimal perSecond = new java.math.BigDecimal(rate);
        if (perSecond.signum() <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(java.math.BigDecimal.valueOf(1000).divide(perSecond, 0, java.math.RoundingMode.CEILING)
                .longValue()));
    }

    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }
        if (value.matches("\\d{1,9}\\.\\d{1,9}")) {
            // not RFC 9110's form, but what Shopify sends ("2.0")
            return Optional.of(Duration.ofMillis(new java.math.BigDecimal(value).movePointRight(3).longValue()));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}
