package io.syncline.connector.spi;

import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;

import java.net.URI;
import java.util.function.BiFunction;

/**
 * Checks of a setting that several types' rules make alike: present, an http(s) URL, a positive
 * number, a rate limit, a variable that is set; and the settings of a type that reads them itself.
 */
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

    /**
     * The settings of the system at {@code path} ({@code systems.crm}) as its type reads them
     * ({@code read}, given the system's name); null where they cannot be read, which is reported with
     * the type's {@code guide} (docs/connectors/…).
     */
    public static <S> S read(String path, SystemDefinition system, BiFunction<String, SystemDefinition, S> read, String guide,
            ProblemReporter problems) {
        try {
            return read.apply(path.substring(path.lastIndexOf('.') + 1), system);
        } catch (IllegalArgumentException e) {
            problems.report(path, e.getMessage(), "see " + guide + " for a system's settings");
            return null;
        }
    }

    /** Reports a setting taken from an environment variable ({@code {env: …}}) that is not set; null and literal ones pass. */
    public static void variableSet(String path, SecretRef ref, Environment environment, ProblemReporter problems) {
        if (ref != null && !ref.isLiteral() && environment.get(ref.env()) == null) {
            problems.report(path, "environment variable " + ref.env() + " is not set", "set " + ref.env()
                    + " in the environment (a Kubernetes Secret mapped into the pod)");
        }
    }
}
