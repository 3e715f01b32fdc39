package io.syncline.connector.spi;

/**
 * Token bucket for one pull: {@code requestsPerSecond} on average, up to {@code burst} at once.
 * The pull waits for a token rather than earning 429s from the source.
 */
public final class RateLimiter {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    private RateLimiter(double requestsPerSecond, int burst) {
        this.perNano = requestsPerSecond / 1e9;
        this.capacity = Math.max(1, burst);
        this.tokens = capacity;
    }

    public static RateLimiter of(RateLimit limit) {
        if (limit == null || limit.requestsPerSecond() == null || limit.requestsPerSecond() <= 0) {
            return null;
        }
        return new RateLimiter(limit.requestsPerSecond(), limit.burst() == null ? 1 : limit.burst());
    }

    public void acquire() throws InterruptedException {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            long waitNanos = (long) Math.ceil((1 - tokens) / perNano);
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            tokens = 1;
            last = System.nanoTime();
        }
        tokens -= 1;
    }
}
