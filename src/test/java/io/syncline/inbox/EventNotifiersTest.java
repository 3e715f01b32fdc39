package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.EventNotifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel builds an exchange's events (created, sending, sent, completed, each step's) for every
 * event notifier that does not declare it ignores them, on every exchange of every route. None of
 * the application's notifiers needs them: the inbox's stop signal is a notifier of context events
 * alone, and no CDI observer of a Camel event may bring Camel Quarkus's event bridge back.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class EventNotifiersTest {

    @Inject
    CamelContext camelContext;

    @Test
    void noNotifierTakesExchangeEvents() {
        List<EventNotifier> notifiers = camelContext.getManagementStrategy().getEventNotifiers();
        assertThat(notifiers).hasAtLeastOneElementOfType(InboxStopNotifier.class);
        assertThat(notifiers).allSatisfy(notifier -> {
            assertThat(notifier.isIgnoreExchangeEvents()).as("%s ignores exchange events", notifier.getClass().getName()).isTrue();
            assertThat(notifier.isIgnoreStepEvents()).as("%s ignores step events", notifier.getClass().getName()).isTrue();
        });
    }

    @Test
    void theStopSignalTakesTheContextStoppingAlone() {
        InboxStopNotifier notifier = camelContext.getManagementStrategy().getEventNotifiers().stream()
                .filter(InboxStopNotifier.class::isInstance).map(InboxStopNotifier.class::cast).findFirst().orElseThrow();
        assertThat(notifier.isEnabled(new org.apache.camel.impl.event.CamelContextStoppingEvent(camelContext))).isTrue();
        assertThat(notifier.isEnabled(new org.apache.camel.impl.event.CamelContextStartedEvent(camelContext))).isFalse();
        assertThat(notifier.isIgnoreCamelContextEvents()).isFalse();
    }
}
