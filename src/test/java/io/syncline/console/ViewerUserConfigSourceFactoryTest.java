package io.syncline.console;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's viewer exists only when its password is set; without one, configuration still loads. */
class ViewerUserConfigSourceFactoryTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new ViewerUserConfigSourceFactory())
                .build();
    }

    @Test
    void aPasswordDeclaresTheViewer() {
        assertThat(config(Map.of("SYNCLINE_VIEWER_PASSWORD", "s3cret")).getOptionalValue(ViewerUserConfigSourceFactory.USER,
                String.class)).contains("s3cret");
    }

    @Test
    void noPasswordOrABlankOneDeclaresNoViewer() {
        assertThat(config(Map.of()).getOptionalValue(ViewerUserConfigSourceFactory.USER, String.class)).isEmpty();
        assertThat(config(Map.of("SYNCLINE_VIEWER_PASSWORD", " ")).getOptionalValue(ViewerUserConfigSourceFactory.USER,
                String.class)).isEmpty();
    }
}
