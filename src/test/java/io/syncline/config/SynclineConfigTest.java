package io.syncline.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SynclineConfigTest {

    private static SmallRyeConfig build(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(SynclineConfig.class)
                // Quarkus reads durations such as "200ms"; plain SmallRye needs its converter.
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withValidateUnknown(true)
                .build();
    }

    @Test
    void defaults() {
        SynclineConfig config = build(Map.of()).getConfigMapping(SynclineConfig.class);
        // unset: the working directory's routes/, else the packaged demo (RoutesFolderTest)
        assertThat(config.routes().location()).isEmpty();
        assertThat(config.inbox().pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.inbox().maxAttempts()).isEqualTo(8);
        assertThat(config.inbox().workers()).isEqualTo(8);
        assertThat(config.http().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.http().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void httpTimeoutsAreSettable() {
        SynclineConfig config = build(Map.of("syncline.http.connect-timeout", "2s", "syncline.http.request-timeout", "1500ms"))
                .getConfigMapping(SynclineConfig.class);
        assertThat(config.http().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.http().requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void misspelledKeyIsRejectedByName() {
        assertThatThrownBy(() -> build(Map.of("syncline.routes.locaton", "/mnt/routes")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("syncline.routes.locaton");
    }

    @Test
    void applicationPropertiesSwitchUnknownKeyValidationOn() throws Exception {
        var properties = new java.util.Properties();
        try (var in = SynclineConfigTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        assertThat(properties.getProperty("smallrye.config.mapping.validate-unknown")).isEqualTo("true");
    }
}
