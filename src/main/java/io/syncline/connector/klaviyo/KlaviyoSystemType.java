package io.syncline.connector.klaviyo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * System type {@code klaviyo}: Klaviyo's profiles, REST API revision 2026-07-15. The preset
 * ({@code presets/klaviyo.yaml}) fixes what Klaviyo fixes for every account (the private key as
 * {@code Authorization: Klaviyo-API-Key …}, the {@code revision} header, JSON:API's media type,
 * {@code {"data": …}} both ways, pages by {@code links.next} of 100, the rate limit, the system
 * webhooks' signature and their events naming a profile, fetched); this plug-in adds what JSON:API
 * makes of a record and what Klaviyo does with a second profile of one person:
 * <ul>
 *   <li>a record is a resource object, {@code {"type": "profile", "id", "attributes": {…}}}: it is read
 *   as its attributes with its {@code id} beside them, written as {@code type} and {@code attributes}
 *   (an update with its {@code id} too, which {@code PATCH /api/profiles/{id}} requires);</li>
 *   <li>a create Klaviyo answers 409 {@code duplicate_profile} (a profile of that e-mail, phone or
 *   external id exists) carries that profile's id in {@code errors[0].meta.duplicate_profile_id}: the
 *   record is linked to it and written there, as the sync meant, rather than failing;</li>
 *   <li>Klaviyo deletes no profile by a call on it: a deletion is a data-privacy deletion job
 *   ({@code POST /api/data-privacy-deletion-jobs}, 202), which removes the person and their history.</li>
 * </ul>
 */
@Singleton
public class KlaviyoSystemType extends RestPresetType {

    public static final String NAME = "klaviyo";

    /**
     * Klaviyo's profile list filters by {@code updated}, but as {@code filter=greater-than(updated,…)}, which a
     * poll's {@code changes} (one parameter carrying the time) cannot write: no polling, changes come by webhook.
     */
    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES));

    static final String DELETION_JOBS = "/api/data-privacy-deletion-jobs";
    private static final String TYPE = "profile";

    public KlaviyoSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** A resource object read as its attributes, with its {@code id} beside them. */
    @Override
    protected Map<String, Object> read(Map<String, Object> record) {
        return lifted(record, "attributes", "id"::equals);
    }

    /** A mapped record as a resource object: {@code {"type": "profile", "attributes": {…}}}, its id left out. */
    @Override
    protected Map<String, Object> write(Map<String, Object> row) {
        Map<String, Object> attributes = new LinkedHashMap<>(row);
        attributes.remove("id");
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", TYPE);
        resource.put("attributes", attributes);
        return resource;
    }

    /**
     * {@code POST /api/profiles}; the new id from the answer's {@code data.id}. A 409 naming the
     * profile that already has the e-mail, phone or external id links the record to that one, which
     * is then updated with the record's attributes.
     */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        HttpResponse<String> response = client().call(target, "POST", target.collection(), Map.of("data", write(row)),
                status -> status == 409);
        Map<String, Object> answer = answer(target, "POST " + target.collection().getRawPath(), response);
        if (response.statusCode() == 409) {
            Object existing = FieldPaths.get(answer, "errors[0].meta.duplicate_profile_id");
            if (existing == null) {
                Object detail = FieldPaths.get(answer, "errors[0].detail");
                throw new TargetRejectedException(system, 409, detail == null ? null : detail.toString(),
                        system + " rejected POST " + target.collection().getRawPath() + ": 409 " + Objects.requireNonNullElse(detail, ""));
            }
            update(entity, system, existing.toString(), row);
            return existing.toString();
        }
        Object id = FieldPaths.get(answer, "data.id");
        if (id == null) {
            throw new TargetRejectedException(system, response.statusCode(), null, system + " answered " + response.statusCode()
                    + " to POST " + target.collection().getRawPath() + " without data.id; the profile was probably created:"
                    + " check " + system + " before replaying");
        }
        return id.toString();
    }

    /** {@code PATCH /api/profiles/{id}} {@code {"data": {"type": "profile", "id", "attributes": {…}}}}. */
    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        Map<String, Object> resource = write(row);
        resource.put("id", id);
        client().update(target(entity, system), id, resource);
    }

    /** A data-privacy deletion job of the profile: Klaviyo has no call that deletes one profile alone. */
    @Override
    public boolean delete(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        // the description requires the profile's attributes beside its id, where an e-mail or phone may name it instead
        Map<String, Object> profile = Map.of("data", Map.of("type", TYPE, "id", id, "attributes", Map.of()));
        client().call(target, "POST", target.at(DELETION_JOBS), Map.of("data",
                Map.of("type", "data-privacy-deletion-job", "attributes", Map.of("profile", profile))), status -> false);
        return true;
    }
}
