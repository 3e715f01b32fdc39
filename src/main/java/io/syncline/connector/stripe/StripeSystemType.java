package io.syncline.connector.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.rest.RestTargetStages;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.connector.spi.TargetStages;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>An invoice is a document with lines of which Stripe embeds the first page only: each invoice
 * read, fetched or carried by an event is completed with the rest of its lines ({@link #completed}).
 */
@Singleton
public class StripeSystemType extends RestPresetType implements RestTargetStages.KeyedWrites {

    public static final String NAME = "stripe";

    /** REST's, with search; without reading changes: Stripe lists filter by creation time only. */
    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH), Set.of(Ability.READ_CHANGES));

    /** Most clauses one search query takes, and most records a page. */
    static final int MOST_CLAUSES = 10;
    static final int MOST_RESULTS = 100;

    /** By object, the members Stripe takes on create and refuses on update. */
    private static final Map<String, Set<String>> CREATE_ONLY = Map.of("subscriptions", Set.of("customer", "items"), "invoices", Set.of("customer"));

    /** The fields Stripe searches customers (and most objects) by equality; and {@code metadata['key']}. */
    private static final Set<String> SEARCHABLE = Set.of("email", "name", "phone");
    private static final Pattern METADATA = Pattern.compile("metadata\\.([^.]+)");

    public StripeSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** Its key, then each webhook path among the account's endpoints with its object's events ({@link StripeWebhookCheck}). */
    @Override
    protected io.syncline.connector.rest.RestSystemCheck.Probe probe() {
        return new StripeWebhookCheck(client());
    }

    /** Rest's record stages, whose creates and updates carry the {@code Idempotency-Key} the preset names. */
    @Override
    public TargetStages stages(TargetStages.Context context) {
        return new RestTargetStages(this, context);
    }

    @Override
    public String create(String entity, String system, Map<String, Object> row, String idempotencyKey) {
        return rest().create(entity, system, row, idempotencyKey);
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row, String idempotencyKey) {
        rest().update(entity, system, id, forUpdate(target(entity, system), row), idempotencyKey);
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        rest().update(entity, system, id, forUpdate(target(entity, system), row));
    }

    /**
     * The row an update sends: without the members Stripe takes at creation only for the object (a
     * subscription's {@code customer}, which Stripe never moves to another customer, and its
     * {@code items}, which an update names by item id), which it refuses as unknown parameters.
     */
    static Map<String, Object> forUpdate(RestTarget target, Map<String, Object> row) {
        String resource = target.resource();
        Set<String> createOnly = CREATE_ONLY.getOrDefault(resource.substring(resource.lastIndexOf('/') + 1), Set.of());
        if (createOnly.isEmpty() || row.keySet().stream().noneMatch(createOnly::contains)) {
            return row;
        }
        Map<String, Object> update = new LinkedHashMap<>(row);
        update.keySet().removeAll(createOnly);
        return update;
    }

    /** A page's or a fetch's record, its invoice lines completed ({@link #completed}). */
    @Override
    protected Map<String, Object> read(String entity, String system, Map<String, Object> record) {
        return completed(entity, system, record);
    }

    /**
     * An invoice with all its lines: Stripe embeds the first page of an invoice's lines
     * ({@code lines: {data: […], has_more: true, url: "/v1/invoices/in_…/lines"}}, ten at most) in
     * the invoice, its events and its lists, and lists the rest at
     * {@code GET /v1/invoices/{id}/lines?starting_after=<last line>}, 100 a page, until
     * {@code has_more} is false. Any other record, and an invoice whose lines are all embedded, is
     * returned as it is.
     */
    @Override
    public Map<String, Object> completed(String entity, String system, Map<String, Object> record) {
        if (!"invoice".equals(record.get("object")) || !(record.get("lines") instanceof Map<?, ?> lines)
                || !Boolean.TRUE.equals(lines.get("has_more")) || record.get("id") == null) {
            return record;
        }
        RestTarget target = target(entity, system);
        String invoice = record.get("id").toString();
        List<Map<String, Object>> all = new ArrayList<>(records(lines.get("data")));
        boolean more = true;
        while (more && !all.isEmpty()) {
            URI uri = URI.create(target.collection() + "/" + encode(invoice) + "/lines?limit=" + MOST_RESULTS + "&starting_after="
                    + encode(String.valueOf(all.get(all.size() - 1).get("id"))));
            HttpResponse<String> response = client().call(target, "GET", uri, null, status -> false);
            Map<String, Object> page = answer(target, "GET " + target.resource() + "/{id}/lines", response);
            List<Map<String, Object>> data = records(page.get("data"));
            all.addAll(data);
            more = Boolean.TRUE.equals(page.get("has_more")) && !data.isEmpty();
        }
        Map<String, Object> whole = new LinkedHashMap<>(record);
        Map<String, Object> allLines = new LinkedHashMap<>();
        lines.forEach((key, value) -> allLines.put(String.valueOf(key), value));
        allLines.put("data", all);
        allLines.put("has_more", false);
        whole.put("lines", allLines);
        return whole;
    }

    /** One request ORing the record's terms, nested ones ({@code metadata.crm_id}) too ({@link #query}). */
    @Override
    public List<MatchCandidate> search(String system, CanonicalRecord record) {
        String entity = record.entity();
        CompiledModel model = model();
        String query = query(SearchTerms.nested(model, entity, system, record.fields()));
        if (query == null) {
            return List.of();
        }
        RestTarget target = target(entity, system);
        URI uri = URI.create(target.collection() + "/search?query=" + encode(query) + "&limit=" + MOST_RESULTS);
        HttpResponse<String> response = client().call(target, "GET", uri, null, status -> false);
        List<MatchCandidate> candidates = new ArrayList<>();
        for (Map<String, Object> row : records(answer(target, "GET " + target.resource() + "/search", response).get("data"))) {
            candidates.add(new MatchCandidate(String.valueOf(row.get("id")),
                    model.transformer().toCanonicalUnhashed(entity, system, row).fields()));
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
}
