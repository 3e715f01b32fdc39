package io.syncline.connector.stripe;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.connector.spi.SystemType;
import io.syncline.failure.TargetRejectedException;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * System type {@code stripe}: Stripe's API. The preset ({@code presets/stripe.yaml}) says all that
 * Stripe fixes as data (base URL, the secret key as bearer, form-encoded bodies, an
 * {@code Idempotency-Key} on every create and update, {@code starting_after} pages of 100, updates by
 * {@code POST}, the {@code Stripe-Signature} scheme and the event envelope), so the REST code
 * serves it; this plug-in adds Stripe's Search API for matching: before a create,
 * {@code GET /v1/{object}/search?query=email:'…' OR phone:'…'} with one clause for each of the
 * entity's match rules whose field the record has ({@link SearchTerms}), so that a customer Stripe
 * already has is linked, not created twice.
 *
 * <p>Stripe's search is eventually consistent: a customer created less than about a minute
 * earlier may not be found yet (docs/connectors/stripe.md).
 */
@Singleton // not proxied: it extends the rest type, whose constructor takes its collaborators
@Typed({StripeSystemType.class, SystemType.class})
public class StripeSystemType extends RestSystemType {

    public static final String NAME = "stripe";

    /** REST's, with search; without reading changes: Stripe lists filter by creation time only. */
    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH), Set.of(Ability.READ_CHANGES));

    /** Most clauses one search query takes, and most records a page. */
    static final int MOST_CLAUSES = 10;
    static final int MOST_RESULTS = 100;

    /** The fields Stripe searches customers (and most objects) by equality; and {@code metadata['key']}. */
    private static final Set<String> SEARCHABLE = Set.of("email", "name", "phone");
    private static final Pattern METADATA = Pattern.compile("metadata\\.([^.]+)");

    private final SyncModelRegistry registry;
    private final ObjectMapper json;

    public StripeSystemType(SyncModelRegistry registry, SynclineConfig config, ObjectMapper json, RestConnections connections) {
        super(registry, config, json, connections);
        this.registry = registry;
        this.json = json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        String entity = record.entity();
        CompiledModel model = registry.current();
        String query = query(SearchTerms.nested(model, entity, system, record.fields()));
        if (query == null) {
            return List.of();
        }
        RestTarget target = target(entity, system);
        URI uri = URI.create(target.collection() + "/search?query=" + encode(query) + "&limit=" + MOST_RESULTS);
        HttpResponse<String> response = client().call(target, "GET", uri, null, status -> false);
        List<MatchCandidate> candidates = new ArrayList<>();
        if (answer(target, response).get("data") instanceof List<?> found) {
            for (Object each : found) {
                if (each instanceof Map<?, ?> object) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = (Map<String, Object>) object;
                    candidates.add(new MatchCandidate(String.valueOf(row.get("id")),
                            model.transformer().toCanonicalUnhashed(entity, system, row).fields()));
                }
            }
        }
        return candidates;
    }

    /**
     * The search query of the terms Stripe can search by, ORed: {@code email:'a@b.example' OR
     * metadata['crm_id']:'42'}; null when none is. Quotes and backslashes in values are escaped.
     */
    static String query(List<SearchTerms.Term> terms) {
        List<String> clauses = new ArrayList<>();
        for (SearchTerms.Term term : terms) {
            String field = field(term.path());
            if (field != null && clauses.size() < MOST_CLAUSES) {
                clauses.add(field + ":'" + term.value().replace("\\", "\\\\").replace("'", "\\'") + "'");
            }
        }
        return clauses.isEmpty() ? null : String.join(" OR ", clauses);
    }

    /** Stripe's search field for a mapping's path: {@code email}, {@code metadata['crm_id']}; null where Stripe has none. */
    private static String field(String path) {
        if (SEARCHABLE.contains(path)) {
            return path;
        }
        Matcher metadata = METADATA.matcher(path);
        return metadata.matches() && !metadata.group(1).contains("'") ? "metadata['" + metadata.group(1) + "']" : null;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Map<String, Object> answer(RestTarget target, HttpResponse<String> response) {
        try {
            Map<String, Object> body = json.readValue(Objects.requireNonNullElse(response.body(), ""), new TypeReference<>() {
            });
            return body == null ? Map.of() : body;
        } catch (IOException e) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, "GET " + target.resource()
                    + "/search answered " + response.statusCode() + " with a body that is not a JSON object: " + e.getMessage());
        }
    }
}
