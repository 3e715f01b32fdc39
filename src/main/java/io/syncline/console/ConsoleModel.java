package io.syncline.console;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.model.EntityDefinition;

import java.util.SortedSet;
import java.util.TreeSet;

/** What the console's filters offer from the sync model in use. */
final class ConsoleModel {

    private ConsoleModel() {
    }

    /** Every entity of the model, sorted. */
    static SortedSet<String> entities(SyncModelRegistry registry) {
        return new TreeSet<>(registry.current().model().entities().keySet());
    }

    /** Every system some entity maps, sorted. */
    static SortedSet<String> systems(SyncModelRegistry registry) {
        SortedSet<String> systems = new TreeSet<>();
        registry.current().model().entities().values().forEach(entity -> systems.addAll(entity.mappings().keySet()));
        return systems;
    }

    /** The canonical fields of {@code entity}, sorted; none for an entity the model lacks. */
    static SortedSet<String> fields(SyncModelRegistry registry, String entity) {
        EntityDefinition definition = registry.current().model().entities().get(entity);
        return definition == null ? new TreeSet<>() : new TreeSet<>(definition.fields().keySet());
    }
}
