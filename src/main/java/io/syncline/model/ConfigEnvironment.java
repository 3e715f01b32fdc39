package io.syncline.model;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Secrets by name from the application's configuration sources: environment variables first
 * (a Kubernetes Secret mapped into the pod's environment), then system properties and the
 * {@code .env} file. A model's {@code {env: CRM_TOKEN}} is looked up verbatim.
 */
public final class ConfigEnvironment implements Environment {

    @Override
    public String get(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null);
    }
}
