package io.syncline.backfill;

import io.syncline.config.SynclineConfig;
import io.syncline.store.StateStoreDriver;
import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Route {@code backfill-runner}: on each replica, a timer asks {@link BackfillRunner} for a job to
 * run and runs it on the timer's thread, so a replica runs one job at a time and looks for the
 * next once it is done. None on the embedded state store, which runs no backfills.
 */
@ApplicationScoped
public class BackfillRoutes extends RouteBuilder {

    private final SynclineConfig.Backfill settings;
    private final boolean embeddedStore;

    public BackfillRoutes(SynclineConfig config, @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> storeUrl) {
        this.settings = config.backfill();
        this.embeddedStore = storeUrl.map(StateStoreDriver::isEmbedded).orElse(false);
    }

    @Override
    public void configure() {
        if (embeddedStore) {
            return;
        }
        long period = settings.claimInterval().toMillis();
        from("timer:syncline-backfill?delay=" + period + "&period=" + period)
                .routeId("backfill-runner")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .bean("BackfillRunner", "claimAndRun");
    }
}
