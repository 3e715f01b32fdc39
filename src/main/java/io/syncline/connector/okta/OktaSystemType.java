package io.syncline.connector.okta;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code okta}: Okta's Management API, its users. The preset ({@code presets/okta.yaml}) fixes
 * what Okta fixes for every org (the {@code SSWS} API token, users bare both ways under
 * {@code /api/v1/users}, partial updates by {@code POST}, Link-header pages of 200, the rate limit,
 * event hooks' Basic credentials and their events, each user fetched); this plug-in does what data
 * cannot say:
 * <ul>
 *   <li>a user is created with {@code ?activate=}: {@code true} (Okta's default: the user is activated,
 *   and sent an activation e-mail where it has no password) unless the system's {@code settings.activate}
 *   says {@code false} (the user is {@code STAGED}, activated later by an administrator or a workflow);</li>
 *   <li>Okta deletes only a deactivated user: a {@code DELETE} of any other deactivates it, and a second
 *   deletes it. A delete sends both; a user already deactivated is deleted by the first, and the second
 *   finds it gone.</li>
 * </ul>
 * Okta's list filters by {@code lastUpdated} only as an expression ({@code filter=lastUpdated gt "…"}),
 * which the REST polling's modified-since parameter cannot write: a user's changes come by its event hook.
 */
@Singleton
public class OktaSystemType extends RestPresetType {

    public static final String NAME = "okta";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES));

    /** The system's setting saying whether a new user is activated ({@code true}, the default, or {@code false}). */
    static final String ACTIVATE = "activate";

    public OktaSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code POST /api/v1/users?activate=…} with the user; its new id from the answer. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        boolean activate = !"false".equals(target.definition().settings().get(ACTIVATE));
        HttpResponse<String> response = client().call(target, "POST", target.at(target.resource() + "?activate=" + activate),
                target.wrap(write(row)), status -> false);
        Object id = answer(target, response).get(target.keyPath());
        if (id == null) {
            throw new TargetRejectedException(system, response.statusCode(), null, "POST " + target.resource()
                    + " answered " + response.statusCode() + " without the new user's " + target.keyPath());
        }
        return id.toString();
    }

    /** {@code DELETE /api/v1/users/{id}} twice: the first deactivates an active user, the second deletes it. */
    @Override
    public boolean delete(String entity, String system, String id) {
        boolean first = super.delete(entity, system, id);
        super.delete(entity, system, id);
        return first;
    }
}
