package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Canonical -> system -> canonical gives the value back, for every transform and a few values
 * each, including the awkward ones (foreign numbers in a national format, the repeated autumn
 * hour, many system values for one canonical value).
 */
class RoundTripTest {

    private static final TransformContext CONTEXT = new TransformContext("contact", "crm", "value",
            Map.of("firstName", "Ada", "lastName", "Lovelace"));

    private static Map<Object, Object> statuses() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("Active", "active");
        map.put("Enabled", "active");
        map.put("On hold", "paused");
        return map;
    }

    static Stream<Arguments> canonicalValues() {
        return Stream.of(
                arguments("trim", null, List.of("Ada", "", "a  b")),
                arguments("lowercase", null, List.of("ada", "straße")),
                arguments("uppercase", null, List.of("ADA", "Ü")),
                arguments("email", null, List.of("ada@example.com", "a.b+crm@mail.example.co.uk")),
                arguments("phone", Map.of("region", "GB"), List.of("+442079460018", "+14155552671")),
                arguments("phone", Map.of("region", "GB", "format", "national"),
                        List.of("+442079460018", "+14155552671")),
                arguments("phone", Map.of("region", "US", "format", "international"),
                        List.of("+14155552671", "+442079460018")),
                arguments("timestamp", null,
                        List.of("2024-03-01T09:30:00Z", "1999-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z")),
                arguments("timestamp", Map.of("zone", "Europe/London"),
                        List.of("2024-07-01T09:00:00Z", "2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z")),
                arguments("timestamp", Map.of("zone", "America/New_York", "outputFormat", "MM/dd/yyyy hh:mm a"),
                        List.of("2024-07-01T13:45:00Z", "2024-01-01T05:00:00Z")),
                arguments("date", null, List.of("2024-02-29", "1970-01-01")),
                arguments("date", Map.of("outputFormat", "dd.MM.yyyy"), List.of("2024-02-29", "0999-12-31")),
                arguments("picklist", Map.of("map", statuses()), List.of("active", "paused")),
                arguments("picklist", Map.of("map", statuses(), "caseInsensitive", true, "default", "paused"),
                        List.of("active", "paused")),
                arguments("string", null, List.of("42", "Ada", "")),
                arguments("integer", null, List.of(0L, -7L, Long.MAX_VALUE)),
                arguments("decimal", Map.of("scale", 2), List.of(new BigDecimal("10.50"), new BigDecimal("0.00"),
                        new BigDecimal("-3.10"))),
                arguments("decimal", Map.of("scale", 0), List.of(new BigDecimal("7"))),
                arguments("boolean", null, List.of(true, false)),
                arguments("constant", "syncline", List.of("syncline")),
                arguments("expression", "${firstName} ${lastName}", List.of("Ada Lovelace")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("canonicalValues")
    void canonicalToSystemAndBackIsStable(String name, Object parameters, List<Object> values) {
        FieldTransform transform = TransformRegistry.builtIn().create(name, parameters);
        for (Object canonical : values) {
            Object system = transform.toSystem(canonical, CONTEXT);
            assertThat(transform.toCanonical(system, CONTEXT))
                    .as("%s -> %s -> back", canonical, system)
                    .isEqualTo(canonical);
            assertThat(transform.toSystem(transform.toCanonical(system, CONTEXT), CONTEXT))
                    .as("system value %s written again", system)
                    .isEqualTo(system);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("canonicalValues")
    void nullIsStableBothWays(String name, Object parameters, List<Object> values) {
        FieldTransform transform = TransformRegistry.builtIn().create(name, parameters);
        if (name.equals("constant") || name.equals("expression")) {
            assertThat(transform.toCanonical(null, CONTEXT)).isEqualTo(values.get(0));
        } else {
            assertThat(transform.toCanonical(null, CONTEXT)).isNull();
            assertThat(transform.toSystem(null, CONTEXT)).isNull();
        }
    }

    @Test
    void aChainRoundTripsThroughEveryStep() {
        var chain = TransformChain.of(TransformRegistry.builtIn().create("trim", null),
                TransformRegistry.builtIn().create("picklist", Map.of("map", statuses())));

        for (String canonical : List.of("active", "paused")) {
            assertThat(chain.toCanonical(chain.toSystem(canonical, CONTEXT), CONTEXT)).isEqualTo(canonical);
        }
    }
}
