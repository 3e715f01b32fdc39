package io.syncline.routes;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * Where an entity's changes from one source go in, as the model's routes made them
 * ({@link ModelRoutes}): the route the inbox counts them under and the endpoint that applies them
 * to every target. An event put into the inbox under these is applied like the source's own
 * changes: a parent fetched for a waiting child ({@link ParentNotices}), a child detached from an
 * erased parent.
 */
@ApplicationScoped
public class SourceIntakes {

    /** The route (for the inbox's counts) and apply endpoint of an entity's changes from one source. */
    public record Intake(String routeId, String applyEndpoint) {
    }

    /** By {@code entity/source}. */
    private volatile Map<String, Intake> intakes = Map.of();

    void made(Map<String, Intake> made) {
        intakes = Map.copyOf(made);
    }

    /** Empty where no route applies the entity's changes from the source. */
    public Optional<Intake> of(String entity, String source) {
        return Optional.ofNullable(intakes.get(entity + "/" + source));
    }
}
