package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** How a claim is shared out among the workers: every worker its share before any gets several. */
class InboxBatchesTest {

    private static final String BATCHED = "direct:batched-apply";
    private static final String SINGLE = "direct:http-apply";

    private static List<InboxEvent> claim(int events, String applyEndpoint) {
        return LongStream.rangeClosed(1, events).mapToObj(id -> new InboxEvent(id, "webhook", applyEndpoint, "contact", "crm",
                "{}", 1, null, "webhook", "c" + id)).toList();
    }

    private static List<Integer> sizes(List<List<InboxEvent>> chunks) {
        return chunks.stream().map(List::size).toList();
    }

    @Test
    void aTrickleIsAppliedOneEventPerTransaction() {
        assertThat(sizes(InboxBatches.shareOut(claim(5, BATCHED), BATCHED::equals, 8, 1, 8))).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void withFewestEventsPerTransactionATrickleGoesToOneWorkerAndABacklogInFullerChunks() {
        assertThat(sizes(InboxBatches.shareOut(claim(3, BATCHED), BATCHED::equals, 8, 4, 8))).containsExactly(3);
        assertThat(sizes(InboxBatches.shareOut(claim(10, BATCHED), BATCHED::equals, 8, 4, 8))).containsExactly(4, 4, 2);
        assertThat(sizes(InboxBatches.shareOut(claim(40, BATCHED), BATCHED::equals, 8, 4, 8)))
                .as("more than min-events for every worker: shared out as before").containsExactly(5, 5, 5, 5, 5, 5, 5, 5);
    }

    @Test
    void aBacklogIsSharedOutAmongTheWorkersFirst() {
        assertThat(sizes(InboxBatches.shareOut(claim(20, BATCHED), BATCHED::equals, 8, 1, 8)))
                .containsExactly(3, 3, 3, 3, 3, 3, 2);
    }

    @Test
    void whileEveryWorkerIsBusyAClaimGoesInChunksOfMaxEvents() {
        assertThat(sizes(InboxBatches.chunksOf(claim(26, BATCHED), BATCHED::equals, true, 8, 1, 8))).containsExactly(8, 8, 8, 2);
        assertThat(sizes(InboxBatches.chunksOf(claim(26, BATCHED), BATCHED::equals, false, 8, 1, 8)))
                .as("idle workers: shared out").containsExactly(4, 4, 4, 4, 4, 4, 2);
    }

    @Test
    void noChunkHoldsMoreThanMaxEvents() {
        assertThat(sizes(InboxBatches.shareOut(claim(50, BATCHED), BATCHED::equals, 4, 1, 8)))
                .containsExactly(8, 8, 8, 8, 8, 8, 2);
    }

    @Test
    void eventsOfRoutesNotBatchedGoOneByOneAndEveryEventOnce() {
        List<InboxEvent> claimed = new java.util.ArrayList<>(claim(6, SINGLE));
        claimed.addAll(claim(8, BATCHED).stream().map(event -> new InboxEvent(event.id() + 100, event.routeId(),
                event.applyEndpoint(), event.entity(), event.sourceSystem(), event.payload(), 1, null, "webhook",
                event.recordKey())).toList());

        List<List<InboxEvent>> chunks = InboxBatches.shareOut(claimed, BATCHED::equals, 2, 1, 8);

        assertThat(chunks).filteredOn(chunk -> chunk.get(0).applyEndpoint().equals(SINGLE)).hasSize(6).allMatch(c -> c.size() == 1);
        assertThat(chunks).filteredOn(chunk -> chunk.get(0).applyEndpoint().equals(BATCHED))
                .allMatch(chunk -> chunk.stream().allMatch(event -> event.applyEndpoint().equals(BATCHED)))
                .extracting(List::size).containsExactly(4, 4);
        assertThat(chunks.stream().flatMap(List::stream).map(InboxEvent::id)).containsExactlyInAnyOrderElementsOf(
                claimed.stream().map(InboxEvent::id).toList());
    }
}
