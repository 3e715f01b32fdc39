package io.syncline.boot;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.model.EntityDefinition;
import org.apache.camel.spi.PropertiesFunction;

/**
 * Lets route files take values from the sync model, so that each is declared once:
 * {@code uri: "platform-http:{{model:webhook:contact:crm}}"} is the webhook path the model gives
 * the CRM's contacts ({@code entities.contact.webhooks.crm}). A reference to something the model
 * does not declare fails the route file, naming what the model has.
 */
final class ModelPropertiesFunction implements PropertiesFunction {

    private final SyncModelRegistry registry;

    ModelPropertiesFunction(SyncModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String getName() {
        return "model";
    }

    @Override
    public String apply(String remainder) {
        String[] parts = remainder.split(":");
        if (parts.length != 3 || !parts[0].equals("webhook")) {
            throw new IllegalArgumentException("{{model:" + remainder + "}} is not a model reference;"
                    + " write {{model:webhook:<entity>:<system>}}");
        }
        EntityDefinition entity = registry.current().model().entities().get(parts[1]);
        if (entity == null) {
            throw new IllegalArgumentException("{{model:" + remainder + "}}: the model has no entity '" + parts[1]
                    + "'; it has " + registry.current().model().entities().keySet());
        }
        String path = entity.webhooks().get(parts[2]);
        if (path == null) {
            throw new IllegalArgumentException("{{model:" + remainder + "}}: entity " + parts[1] + " declares no webhook for '"
                    + parts[2] + "'; it declares " + entity.webhooks().keySet() + " (entities." + parts[1] + ".webhooks)");
        }
        return path;
    }
}
