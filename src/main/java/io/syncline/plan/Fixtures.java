package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A fixture document (docs/plan.md#fixtures-in-ci): applied events of an entity from a source,
 * each with the outcome the model that captured them decided in each target, kept by an integrator
 * beside the model and replayed in CI through the model as changed.
 *
 * @param format     {@link #FORMAT}
 * @param entity     the entity of every event
 * @param source     the system that sent them
 * @param from       the start of the window they were captured from (for the reader)
 * @param to         its end
 * @param capturedAt when they were captured
 * @param events     the events, oldest first
 */
@RegisterForReflection
public record Fixtures(String format, String entity, String source, Instant from, Instant to, Instant capturedAt,
        List<Event> events) {

    /** The format this deployment writes and reads. */
    public static final String FORMAT = "syncline-fixtures/1";

    /**
     * One captured event.
     *
     * @param inboxId  the inbox event it was captured from (none in a fixture written by hand)
     * @param record   the record's key in its source
     * @param origin   how the event came ({@code webhook} unless told)
     * @param payload  the record as the source sent it
     * @param outcomes per target, what the capturing model decided
     */
    @RegisterForReflection
    public record Event(Long inboxId, String record, String origin, Map<String, Object> payload,
            Map<String, FixtureOutcome> outcomes) {
    }
}
