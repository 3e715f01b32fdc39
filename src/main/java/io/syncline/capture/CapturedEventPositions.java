package io.syncline.capture;

import io.syncline.state.StreamPosition;
import io.syncline.sync.StreamPositionResolver;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The stream positions of captured changes, read from the event ids the captures give them ({@link CapturedChange#position}). */
@ApplicationScoped
public class CapturedEventPositions implements StreamPositionResolver {

    @Override
    public Optional<StreamPosition> position(String eventId) {
        return CapturedChange.position(eventId);
    }
}
