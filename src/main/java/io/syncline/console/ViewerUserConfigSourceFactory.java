package io.syncline.console;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Declares the console's read-only user {@code viewer} (role {@code viewer}) only when
 * {@code SYNCLINE_VIEWER_PASSWORD} is set. A plain {@code users.viewer=${SYNCLINE_VIEWER_PASSWORD:}}
 * in application.properties stops start-up when it is unset (an empty value is a missing one), and
 * a viewer must stay optional. The password is passed on, never logged.
 */
public class ViewerUserConfigSourceFactory implements ConfigSourceFactory {

    static final String PASSWORD = "SYNCLINE_VIEWER_PASSWORD";
    static final String USER = "quarkus.security.users.embedded.users.viewer";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue password = context.getValue(PASSWORD);
        if (password == null || password.getValue() == null || password.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(USER, password.getValue()), "syncline-viewer-user", 275));
    }
}
