package io.syncline.inbox;

import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Chooses the {@link Inbox} adapter at start-up by {@code syncline.inbox.mode}: the adapter whose
 * {@link Identifier} is the mode's name ({@code postgresql}, {@code kafka}). A mode no adapter, or
 * more than one, answers to stops the start rather than taking events nowhere. Only the chosen
 * adapter is made: in the PostgreSQL mode nothing of Kafka is.
 */
@ApplicationScoped
public class InboxProducer {

    @Inject
    @Any
    Instance<Inbox> adapters;
    @Inject
    SynclineConfig config;

    @Produces
    @Startup
    @ApplicationScoped
    Inbox inbox() {
        String mode = config.inbox().mode().name().toLowerCase(Locale.ROOT);
        Instance<Inbox> adapter = adapters.select(Identifier.Literal.of(mode));
        if (adapter.isUnsatisfied()) {
            throw new IllegalStateException("syncline.inbox.mode=" + mode + ": no inbox adapter is named " + mode);
        }
        if (adapter.isAmbiguous()) {
            throw new IllegalStateException("syncline.inbox.mode=" + mode + ": several inbox adapters are named " + mode);
        }
        return adapter.get();
    }
}
