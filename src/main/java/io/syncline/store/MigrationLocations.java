package io.syncline.store;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.Optional;

/**
 * The migrations of the state store in use: {@code db/migration} runs on both stores, then
 * {@code db/postgresql} on PostgreSQL or {@code db/h2} on the embedded H2, whose forms of the
 * same versions leave out what only PostgreSQL can do (partitions, expression indexes). Quarkus
 * collects the scripts of all three folders at build time, before any customizer runs; the URL
 * decides at start-up which folder's scripts Flyway sees.
 */
@Singleton
public class MigrationLocations implements FlywayConfigurationCustomizer {

    static final String COMMON = "db/migration";
    static final String POSTGRES = "db/postgresql";
    static final String EMBEDDED = "db/h2";

    private static final Logger LOG = Logger.getLogger(MigrationLocations.class);

    @Inject
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> url;

    @Override
    public void customize(FluentConfiguration configuration) {
        boolean embedded = url.map(StateStoreDriver::isEmbedded).orElse(false);
        if (embedded) {
            LOG.warnf("The state store is the embedded H2 database (%s): for a trial or development only."
                    + " Production runs on PostgreSQL: set QUARKUS_DATASOURCE_JDBC_URL", url.get().split(";", 2)[0]);
        }
        String skipped = (embedded ? POSTGRES : EMBEDDED) + "/";
        configuration.locations(COMMON, embedded ? EMBEDDED : POSTGRES);
        configuration.resourceProvider(without(configuration.getResourceProvider(), skipped));
    }

    /** The scripts of {@code all} but those under the folder {@code skipped}. */
    static ResourceProvider without(ResourceProvider all, String skipped) {
        return new ResourceProvider() {

            @Override
            public LoadableResource getResource(String name) {
                LoadableResource resource = all.getResource(name);
                return resource == null || resource.getAbsolutePath().startsWith(skipped) ? null : resource;
            }

            @Override
            public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
                return all.getResources(prefix, suffixes).stream()
                        .filter(resource -> !resource.getAbsolutePath().startsWith(skipped))
                        .toList();
            }
        };
    }
}
