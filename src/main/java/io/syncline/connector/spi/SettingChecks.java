package io.syncline.connector.spi;

import io.syncline.model.ProblemReporter;

import java.net.URI;

/** Checks of a setting that several types' rules make alike: present, an http(s) URL, a positive number, a rate limit. */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** Reports {@code key} of {@code path} missing when {@code value} is null. */
    public static void require(String path, String key, Object value, ProblemReporter problems) {
        if (value == null) {
            problems.report(path, key + " is missing", "add " + key + ": …");
        }
    }

    /** Reports {@code key} below 1. */
    public static void positive(String path, String key, Number value, String fix, ProblemReporter problems) {
        if (value != null && value.longValue() < 1) {
            problems.report(path + "." + key, key + " must be at least 1, got " + value, fix);
        }
    }

    /** A rate limit's rate must be positive and its burst at least 1. */
    public static void rateLimit(String path, Double requestsPerSecond, Integer burst, ProblemReporter problems) {
        if (requestsPerSecond == null || !(requestsPerSecond > 0)) {
            problems.report(path + ".requestsPerSecond", "a rate limit needs a positive requestsPerSecond",
                    "write requestsPerSecond: 10 (fractions such as 0.5 are allowed)");
        }
        if (burst != null && burst < 1) {
            problems.report(path + ".burst", "burst must be at least 1", "write burst: 1, or leave it out (default 1: evenly spaced)");
        }
    }

    /** Whether {@code value} is an http or https URL. */
    public static boolean isHttpUrl(String value) {
        try {
            String scheme = URI.create(value).getScheme();
            return "http".equals(scheme) || "https".equals(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
