package io.syncline.connector.okta;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.Erasure;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import io.syncline.model.EraseSpec;
import jakarta.inject.Singleton;

import java.net.URI;
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
 *   finds it gone. Where the system's {@code settings.delete} says {@code deactivate} (an offboarding that
 *   keeps the user), a delete deactivates the user only ({@code POST /api/v1/users/{id}/lifecycle/deactivate});
 *   a hard erasure still deletes it.</li>
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

    /** The system's setting saying what a delete does: {@code deactivate} keeps the user, deactivated; otherwise it is deleted. */
    static final String DELETE = "delete";

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

    /**
     * {@code DELETE /api/v1/users/{id}} twice: the first deactivates an active user, the second deletes it; or,
     * where {@code settings.delete} says {@code deactivate}, {@code POST /api/v1/users/{id}/lifecycle/deactivate}
     * alone. Whether the org had the user.
     */
    @Override
    public boolean delete(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        if (!"deactivate".equals(target.definition().settings().get(DELETE))) {
            return deleteUser(entity, system, id);
        }
        HttpResponse<String> response = client().call(target, "POST", URI.create(target.item(id) + "/lifecycle/deactivate"), null,
                status -> status == 404);
        return response.statusCode() != 404;
    }

    /** A hard erasure deletes the user whatever {@code settings.delete} says; an anonymisation empties its profile's fields. */
    @Override
    public String erase(String entity, String system, String id, Erasure erasure) throws Exception {
        if (erasure.mode() == EraseSpec.Mode.HARD) {
            return deleteUser(entity, system, id) ? "hard delete" : "already gone";
        }
        return super.erase(entity, system, id, erasure);
    }

    private boolean deleteUser(String entity, String system, String id) {
        boolean first = super.delete(entity, system, id);
        super.delete(entity, system, id);
        return first;
    }
}
