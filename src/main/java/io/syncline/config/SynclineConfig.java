package io.syncline.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

/**
 * Syncline's own settings, under the {@code syncline.} prefix. Unknown keys under that prefix
 * fail start-up naming the key ({@code smallrye.config.mapping.validate-unknown=true}).
 */
@ConfigMapping(prefix = "syncline")
public interface SynclineConfig {

    Routes routes();

    Model model();

    interface Model {

        /**
         * Reload the model files ({@code *.syncline.yaml}) when they change. On in dev mode; a
         * reloaded model with problems is not used and readiness reports why.
         */
        @WithDefault("false")
        boolean reload();
    }

    interface Routes {

        /**
         * Folder holding the route files ({@code *.camel.yaml}). Relative paths resolve against
         * the working directory. When the folder does not exist, the route files packaged in
         * the application ({@code classpath:routes/}) are used instead.
         */
        @WithDefault("routes")
        Path location();
    }
}
