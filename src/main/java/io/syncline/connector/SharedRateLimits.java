package io.syncline.connector;

import io.agroal.api.AgroalDataSource;
import io.syncline.connector.spi.SharedRateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one {@link SharedRateLimiter} of the application, which every type that paces its requests shares. */
@ApplicationScoped
public class SharedRateLimits {

    @Produces
    @Singleton
    SharedRateLimiter limiter(AgroalDataSource store) {
        return new SharedRateLimiter(store, Clock.systemUTC());
    }
}
