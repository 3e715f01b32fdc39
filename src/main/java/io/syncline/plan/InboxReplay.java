package io.syncline.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.inbox.InboxLookups;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A shadow replay's records: the events of an entity from a source that the inbox accepted in a
 * window and applied, read again page by page in the order they came, each with its payload as
 * the apply route took it, its origin, and an idempotency key of the replay's own (so that no
 * event is taken for a duplicate of itself).
 */
final class InboxReplay implements RecordSource {

    private static final int PAGE = 500;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final InboxLookups inbox;
    private final ObjectMapper json;
    private final String entity;
    private final String source;
    private final Instant from;
    private final Instant to;
    private final long limit;
    private final String replayId;

    InboxReplay(InboxLookups inbox, ObjectMapper json, String entity, String source, Instant from, Instant to, long limit,
            String replayId) {
        this.inbox = inbox;
        this.json = json;
        this.entity = entity;
        this.source = source;
        this.from = from;
        this.to = to;
        this.limit = limit;
        this.replayId = replayId;
    }

    @Override
    public void read(Pages pages) throws Exception {
        long after = 0;
        long read = 0;
        while (read < limit) {
            List<InboxLookups.AppliedEvent> events = inbox.applied(entity, source, from, to, after,
                    (int) Math.min(PAGE, limit - read));
            if (events.isEmpty()) {
                return;
            }
            List<PlannedRecord> records = new ArrayList<>(events.size());
            for (InboxLookups.AppliedEvent event : events) {
                records.add(new PlannedRecord(event.recordKey(), json.readValue(event.payload(), OBJECT), event.origin(),
                        "shadow:" + replayId + ":" + event.id(), event.id()));
            }
            read += events.size();
            after = events.get(events.size() - 1).id();
            if (!pages.accept(records)) {
                return;
            }
        }
    }
}
