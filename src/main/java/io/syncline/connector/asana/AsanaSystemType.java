package io.syncline.connector.asana;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code asana}: Asana's REST API 1.0. The preset ({@code presets/asana.yaml}) fixes what
 * Asana fixes for every workspace (the bearer token, records as {@code {"data": {…}}} both ways,
 * {@code offset} pages of 100, the rate limit, events signed in {@code X-Hook-Signature} and fetched);
 * the REST code lists, fetches, updates and deletes tasks as that data says. Asana lists a task in its
 * project ({@code GET /projects/{project}/tasks}) but creates it at {@code POST /tasks}, in the project
 * its {@code projects} name: this plug-in sends a create to the collection the object's records live
 * in ({@code /tasks}, its {@code item} without {@code /{id}}: {@link RestTarget#itemsCollection()}) and, unless the record says where it
 * goes ({@code projects}, {@code workspace} or {@code parent}), in the system's {@code settings.project}.
 * Asana has no modified-since order to poll by: a task's changes come by its webhook events.
 */
@Singleton
public class AsanaSystemType extends RestPresetType {

    public static final String NAME = "asana";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES));

    /** The system's setting naming the project its tasks are listed and created in. */
    static final String PROJECT = "project";
    /** What a record may name of where it is created, the project of the system's settings otherwise. */
    private static final List<String> PLACES = List.of("projects", "workspace", "parent");

    public AsanaSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code POST /tasks} {@code {"data": {…, "projects": ["<project>"]}}}; the new gid from the answer's {@code data}. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        Map<String, Object> record = new LinkedHashMap<>(write(row));
        String project = target.definition().settings().get(PROJECT);
        if (project != null && PLACES.stream().noneMatch(record::containsKey)) {
            record.put("projects", List.of(project));
        }
        return client().create(target.itemsCollection(), record).targetId();
    }
}
