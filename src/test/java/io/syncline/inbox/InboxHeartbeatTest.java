package io.syncline.inbox;

import io.syncline.exchange.ExchangeContract;
import io.syncline.sync.ApplyEvents;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What liveness counts as one step of a worker: a batch whose events each take a while on a slow
 * store is many steps, one per stage and event, so that it never looks wedged as a whole.
 */
class InboxHeartbeatTest {

    private static final Duration EACH = Duration.ofMillis(150);

    private final CamelContext camel = new DefaultCamelContext();

    @Test
    void eachStageOfEachEventOfABatchIsAStepOfItsOwn() throws Exception {
        InboxHeartbeat heartbeat = new InboxHeartbeat();
        Exchange chunk = new DefaultExchange(camel);
        List<Exchange> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(new DefaultExchange(camel));
        }
        chunk.setProperty(ExchangeContract.APPLY_EVENTS, events);
        heartbeat.chunkTaken(chunk);
        long started = System.nanoTime();
        List<Duration> longestSteps = new ArrayList<>();

        for (int stage = 0; stage < 2; stage++) {
            ApplyEvents.forEach(chunk, event -> {
                // the stage's round trip to a slow store: the latency itself, which the steps must not add up
                Thread.sleep(EACH.toMillis());
                longestSteps.add(heartbeat.longestWorkerStep());
            });
        }

        // the chunk took eight slow round trips; no step was longer than about one
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(EACH.multipliedBy(8));
        assertThat(longestSteps).hasSize(8).allSatisfy(step -> assertThat(step).isLessThan(EACH.multipliedBy(2)));
        assertThat(heartbeat.busyWorkers()).isEqualTo(1);
    }

    @Test
    void aWorkerStuckInOneStepGrowsOld() {
        InboxHeartbeat heartbeat = new InboxHeartbeat();
        heartbeat.chunkTaken(new DefaultExchange(camel));

        await("the stuck worker's step grows old").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(heartbeat::longestWorkerStep, step -> step.compareTo(EACH.multipliedBy(3)) >= 0);
        assertThat(heartbeat.busyWorkers()).isEqualTo(1);
    }
}
