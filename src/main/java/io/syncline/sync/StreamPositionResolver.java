package io.syncline.sync;

import io.syncline.state.StreamPosition;

import java.util.Optional;

/**
 * Reads an event's position in its source's change stream from the event's id: what orders the
 * changes of one capture, where clocks cannot ({@link EventVerdictPolicy}). Implemented by what
 * gives captured changes their ids; an event from anywhere else (a webhook, a poll) has none.
 */
public interface StreamPositionResolver {

    /** The position event {@code eventId} stands at; empty for an event that no change stream gave. */
    Optional<StreamPosition> position(String eventId);
}
