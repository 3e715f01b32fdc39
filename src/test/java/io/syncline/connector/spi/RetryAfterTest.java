package io.syncline.connector.spi;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2024-03-01T09:00:00Z");

    @Test
    void secondsAreReadAsADuration() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("2.0", NOW)).as("Shopify's").contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse("0.5", NOW)).contains(Duration.ofMillis(500));
    }

    @Test
    void httpDateIsTheTimeLeftUntilIt() {
        assertThat(RetryAfter.parse("Fri, 01 Mar 2024 09:01:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    }

    @Test
    void dateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Fri, 01 Mar 2024 08:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void withoutRetryAfterTheRateLimitsResetIsTheTimeLeftUntilIt() {
        assertThat(RetryAfter.of(headers(Map.of("X-RateLimit-Reset", List.of(Long.toString(NOW.getEpochSecond() + 3)))), NOW))
                .as("Intercom's").contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.of(headers(Map.of("X-Rate-Limit-Reset", List.of(Long.toString(NOW.getEpochSecond() + 4)))), NOW))
                .as("Okta's").contains(Duration.ofSeconds(4));
        assertThat(RetryAfter.of(headers(Map.of("X-RateLimit-Reset", List.of(Long.toString(NOW.getEpochSecond() - 3)))), NOW))
                .contains(Duration.ZERO);
        assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("7"), "X-RateLimit-Reset",
                List.of(Long.toString(NOW.getEpochSecond() + 3)))), NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(headers(Map.of("X-RateLimit-Reset", List.of("60"))), NOW)).as("not a Unix time").isEmpty();
        assertThat(RetryAfter.of(headers(Map.of()), NOW)).isEmpty();
    }

    @Test
    void withoutEitherAnOperationsRateIsWaitedOutForOneRequest() {
        // Amazon's Selling Partner API: x-amzn-RateLimit-Limit in requests a second, no Retry-After
        assertThat(RetryAfter.of(headers(Map.of("x-amzn-RateLimit-Limit", List.of("0.0167"))), NOW)).contains(Duration.ofMillis(59881));
        assertThat(RetryAfter.of(headers(Map.of("x-amzn-RateLimit-Limit", List.of("5.0"))), NOW)).contains(Duration.ofMillis(200));
        assertThat(RetryAfter.of(headers(Map.of("x-amzn-RateLimit-Limit", List.of("2"), "Retry-After", List.of("3"))),
                NOW)).as("Retry-After first").contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.of(headers(Map.of("x-amzn-RateLimit-Limit", List.of("0"))), NOW)).isEmpty();
        assertThat(RetryAfter.of(headers(Map.of("x-amzn-RateLimit-Limit", List.of("fast"))), NOW)).isEmpty();
    }

    private static HttpHeaders headers(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (name, value) -> true);
    }

    @Test
    void missingOrUnreadableValuesAreIgnored() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5.2", NOW)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isEmpty();
    }
}
