package io.syncline.connector.googleworkspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code google-workspace}: the Admin SDK Directory API v1, a Google Workspace account's users.
 * The preset ({@code presets/google-workspace.yaml}) fixes what Google fixes for every account (the service
 * account's sign-in with domain-wide delegation, users bare both ways, partial updates by {@code PATCH},
 * pages by {@code pageToken} of up to 500, the account named {@code my_customer} in the list, the rate
 * limit); this plug-in does what data cannot say:
 * <ul>
 *   <li>a user is inserted at {@code /admin/directory/v1/users} itself, as {@code users.insert} takes no
 *   {@code customer}, which the list needs;</li>
 *   <li>Google requires a password of a new user: where the mapping writes none, the user gets a random one it
 *   must change at its first sign-in ({@code changePasswordAtNextLogin}), which nobody learns; the person signs
 *   in through the account's single sign-on, or after an administrator's reset. An update sends none.</li>
 * </ul>
 * The list filters by no time of change, and the push notifications of {@code users.watch} are channels
 * that expire and must be renewed: a user's changes come by reconciliation, not by polling or webhooks.
 */
@Singleton
public class GoogleWorkspaceSystemType extends RestPresetType {

    public static final String NAME = "google-workspace";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.READ_CHANGES));

    private static final SecureRandom RANDOM = new SecureRandom();

    public GoogleWorkspaceSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code users.insert}: {@code POST /admin/directory/v1/users} with the user, a password where it has none; its new id from the answer. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        Map<String, Object> user = new LinkedHashMap<>(write(row));
        if (user.get("password") == null) {
            user.put("password", randomPassword());
            user.put("changePasswordAtNextLogin", true);
        }
        return client().create(target(entity, system).itemsCollection(), user).targetId();
    }

    /** 24 random bytes as 32 characters: within Google's 8 to 100 ASCII characters. */
    static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
