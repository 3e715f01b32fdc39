package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a stage goes through the events on an exchange: its own event alone, or a batch's events,
 * all of them or only those the idempotent consumer let through, until the application stops.
 */
class ApplyEventsTest {

    private final CamelContext camel = new DefaultCamelContext();

    private Exchange event(String verdict) {
        Exchange event = new DefaultExchange(camel);
        event.setProperty(ExchangeContract.VERDICT, verdict);
        return event;
    }

    private Exchange batchOf(List<Exchange> events, ApplyBatch batch) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeContract.APPLY_EVENTS, events);
        exchange.setProperty(ExchangeContract.APPLY_BATCH, batch);
        return exchange;
    }

    /** A batch on an in-memory database: only its stop signal matters here. */
    private static ApplyBatch batch(AtomicBoolean stopping) throws Exception {
        Connection connection = DriverManager.getConnection("jdbc:h2:mem:apply-events");
        return new ApplyBatch(connection, List.of(), stopping::get);
    }

    @Test
    void anEventAloneIsItsOwnOnlyEventWhateverItsVerdict() throws Exception {
        Exchange alone = event("skipped-duplicate");
        List<Exchange> seen = new ArrayList<>();

        ApplyEvents.forEachAdmitted(alone, seen::add);

        // the route's own filter decides for an event alone
        assertThat(seen).containsExactly(alone);
        assertThat(ApplyEvents.batch(alone)).isFalse();
    }

    @Test
    void aBatchsStagesAfterAdmitTakeOnlyItsAdmittedEvents() throws Exception {
        Exchange applied = event(SyncGuard.APPLY);
        Exchange duplicate = event("skipped-duplicate");
        Exchange changed = event(SyncGuard.APPLY);
        try (ApplyBatch batch = batch(new AtomicBoolean())) {
            Exchange exchange = batchOf(List.of(applied, duplicate, changed), batch);
            List<Exchange> all = new ArrayList<>();
            List<Exchange> admitted = new ArrayList<>();

            ApplyEvents.forEach(exchange, all::add);
            ApplyEvents.forEachAdmitted(exchange, admitted::add);

            assertThat(all).containsExactly(applied, duplicate, changed);
            assertThat(admitted).containsExactly(applied, changed);
        }
    }

    @Test
    void aBatchStopsBeforeItsNextEventOnceTheApplicationStops() throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        Exchange first = event(SyncGuard.APPLY);
        Exchange second = event(SyncGuard.APPLY);
        try (ApplyBatch batch = batch(stopping)) {
            Exchange exchange = batchOf(List.of(first, second), batch);
            List<Exchange> seen = new ArrayList<>();

            assertThatThrownBy(() -> ApplyEvents.forEach(exchange, event -> {
                seen.add(event);
                stopping.set(true);
            })).isInstanceOf(ApplyBatchStoppedException.class);

            assertThat(seen).containsExactly(first);
        }
    }
}
