package io.syncline.connector.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * System type {@code segment}: Segment as a source of customer traits. The preset
 * ({@code presets/segment.yaml}) fixes what Segment fixes for every workspace: identify calls posted
 * by Segment's Webhooks destination, signed with HMAC-SHA1 in {@code X-Signature} and keyed by their
 * {@code userId} (its other calls skipped), and the Profile API ({@code profiles.segment.com}, the
 * access token as the Basic user) for a user's traits. This plug-in reads the Profile API's answer,
 * {@code {"traits": {…}, "cursor": {…}}}, as an identify call's {@code {"userId", "traits"}}, so that
 * one mapping reads both: a system whose webhook says {@code fetch: true} takes each identify call's
 * user as the Profile API has it (every trait the space merged, computed traits too), rather than the
 * traits that one call carried.
 *
 * <p>Segment is read, never written: the type fetches, and has no pages (the Profile API lists no
 * users), no changes to poll, no writes and no erasure (Segment's deletions go through its own
 * regulation API).
 */
@Singleton
public class SegmentSystemType extends RestPresetType {

    public static final String NAME = "segment";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(),
            Set.of(Ability.READ_PAGES, Ability.READ_CHANGES, Ability.READ_BACK, Ability.WRITE, Ability.ERASE));

    /** The most traits one page of the Profile API gives. */
    static final int TRAITS_PAGE = 200;

    public SegmentSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /**
     * {@code GET …/profiles/user_id:{id}/traits?limit=200} (the most traits a page gives; 10 without it),
     * read as {@code {"userId": id, "traits": {…}}}; empty where the Profile API knows no such user (404).
     */
    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        HttpResponse<String> response = client().call(target, "GET", URI.create(target.item(id) + "?limit=" + TRAITS_PAGE), null,
                status -> status == 404);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        Map<String, Object> answer = answer(target, "GET " + target.item(id).getRawPath(), response);
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("userId", id);
        call.put("traits", answer.get("traits") instanceof Map<?, ?> traits ? traits : Map.of());
        return Optional.of(call);
    }
}
