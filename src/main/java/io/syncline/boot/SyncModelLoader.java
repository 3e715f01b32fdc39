package io.syncline.boot;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.model.ModelFile;
import io.syncline.routes.ModelRoutes;
import io.syncline.routes.RoutesFolder;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.quarkus.main.events.AfterConfigure;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads the model files ({@code *.syncline.yaml}) from the routes folder ({@link RoutesFolder})
 * before any route starts; a model with problems stops start-up. With {@code syncline.model.reload}
 * (dev mode) an edited model file is reloaded; one that is gone or empty keeps the model in force
 * ({@link SyncModelRegistry#reload}).
 */
@ApplicationScoped
public class SyncModelLoader {

    @Inject
    SynclineConfig config;
    @Inject
    SyncModelRegistry registry;
    @Inject
    ModelRoutes modelRoutes;

    // Before the route files: routes may call the model's beans as soon as they start.
    void onAfterConfigure(@Observes @Priority(100) AfterConfigure event) throws Exception {
        CamelContext context = event.getCamelContext();
        registry.load(read(context));
        context.getPropertiesComponent().addPropertiesFunction(new ModelPropertiesFunction(registry));
        Optional<Path> folder = RoutesFolder.inUse(config.routes().location());
        if (config.model().reload() && folder.filter(Files::isDirectory).isPresent()) {
            FileWatcherResourceReloadStrategy watcher = new FileWatcherResourceReloadStrategy(folder.get().toString());
            watcher.setFileFilter(file -> file.getName().endsWith(RoutesFolder.MODEL_FILE_SUFFIX));
            watcher.setResourceReload((name, resource) -> {
                if (registry.reload(read(context))) {
                    // webhooks, targets, hooks may have changed: the model's routes follow
                    modelRoutes.create(context, registry.current().model());
                }
            });
            context.addService(watcher);
        }
    }

    private List<ModelFile> read(CamelContext context) throws Exception {
        List<ModelFile> files = new ArrayList<>();
        Optional<Path> folder = RoutesFolder.inUse(config.routes().location());
        for (Resource resource : RoutesFolder.files(context, folder, RoutesFolder.MODEL_FILE_SUFFIX)) {
            try (InputStream in = resource.getInputStream()) {
                files.add(new ModelFile(resource.getLocation(), in.readAllBytes()));
            } catch (IOException e) {
                throw new IOException("Cannot read model file " + resource.getLocation(), e);
            }
        }
        return files;
    }
}
