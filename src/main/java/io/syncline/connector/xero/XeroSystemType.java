package io.syncline.connector.xero;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSettings;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * System type {@code xero}: Xero's Accounting API. The preset ({@code presets/xero.yaml}) fixes
 * what Xero fixes for every organisation as data: the base URL, OAuth 2.0 with rotating refresh
 * tokens, the {@code xero-tenant-id} header, the {@code {"Contacts": [{…}]}} envelope, creates by
 * {@code PUT} on the collection, numbered pages, the rate limit, the webhook signature and its
 * intent-to-receive answer. The REST code does all of that; this plug-in adds search for matching:
 * {@code GET /Contacts?where=EmailAddress=="…" OR …}, the comparisons of up to
 * {@value #SEARCH_TERMS} match rules, a record's or an inbox batch's, in one request, so that a contact Xero
 * already has is linked, not created twice (Xero refuses a second contact of the same name); and
 * batches: a batch's creates go in one {@code PUT /Contacts?summarizeErrors=false} and its updates
 * in one {@code POST /Contacts?summarizeErrors=false}, {@value #BATCH_LIMIT} contacts a call, each
 * contact of the answer with its own {@code StatusAttributeString} and {@code ValidationErrors}
 * ({@link RestPresetType#batch}). Invoices go the same way ({@code {"Invoices": [{…}]}}), their
 * line items without the members that have no value ({@link #write}).
 */
@Singleton
public class XeroSystemType extends RestPresetType {

    public static final String NAME = "xero";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH, Ability.BATCH_WRITE), Set.of(Ability.READ_CHANGES));

    /**
     * Most contacts a batch call carries: Xero takes more, but asks for no more than 50 elements a
     * request (and 3.5 MB), above which calls slow down or time out.
     */
    static final int BATCH_LIMIT = 50;

    /** Comparisons ORed in one {@code where} ({@link #searchTermsLimit}). */
    static final int SEARCH_TERMS = 10;

    public XeroSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** Xero's {@code where} filter: {@code Field=="value"}, the value's quotes and backslashes escaped. */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        return searchUri(model, entity, system, target, List.of(term));
    }

    /**
     * Several comparisons in one {@code where}, ORed: {@code EmailAddress=="a@x.example" OR
     * EmailAddress=="b@x.example"}; Xero answers every contact any of them finds.
     */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, List<SearchTerms.Term> terms) {
        String where = terms.stream().map(term -> term.path() + "==\"" + term.value().replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"").collect(Collectors.joining(" OR "));
        return URI.create(target.collection() + "?where=" + URLEncoder.encode(where, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * Comparisons one {@code where} ORs: Xero asks for simple filters (a long one may time out),
     * and ten keep the request short while a batch of 50 contacts is looked up in five.
     */
    @Override
    protected int searchTermsLimit() {
        return SEARCH_TERMS;
    }

    /** The contacts listed at the object's list member ({@code Contacts}). */
    @Override
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        String items = items(model, entity, system);
        return items == null ? List.of() : records(answer.get(items));
    }

    /** The object's list member ({@code Contacts}), else the pages' one. */
    private static String items(CompiledModel model, String entity, String system) {
        RestSettings definition = RestSettings.of(model.model().systems().get(system));
        String items = itemsOf(model, entity, system);
        if (items == null && definition.pagination() != null) {
            items = definition.pagination().itemsField();
        }
        return items;
    }

    /**
     * The record as Xero takes it: a member of a list's element without a value (a line item's
     * {@code ItemCode} where the line names no item) is left out, not sent as null, which Xero's
     * description allows no member of a line item; left out, it reads back as the same empty value.
     */
    @Override
    protected Map<String, Object> write(Map<String, Object> row) {
        Map<String, Object> written = new LinkedHashMap<>(row);
        row.forEach((member, value) -> {
            if (value instanceof List<?> list) {
                written.put(member, list.stream().map(XeroSystemType::withoutNulls).toList());
            }
        });
        return written;
    }

    private static Object withoutNulls(Object element) {
        if (!(element instanceof Map<?, ?> map)) {
            return element;
        }
        Map<Object, Object> kept = new LinkedHashMap<>();
        map.forEach((member, value) -> {
            if (value != null) {
                kept.put(member, value);
            }
        });
        return kept;
    }

    @Override
    protected int batchLimit() {
        return BATCH_LIMIT;
    }

    /** {@code PUT} (creating) or {@code POST} (updating) on the collection with {@code summarizeErrors=false}. */
    @Override
    protected BatchCall batchCall(RestTarget target, boolean creating) {
        String method = creating ? "PUT" : "POST";
        return new BatchCall(method, URI.create(target.collection() + "?summarizeErrors=false"),
                method + " " + target.resource() + "?summarizeErrors=false");
    }

    /** The object's list member ({@code Contacts}), else the pages' one. */
    @Override
    protected String batchItems(String entity, String system) {
        return Objects.requireNonNull(items(model(), entity, system), "the object's list member (objects.<name>.items)");
    }

    /**
     * The answer to one batch call of the mapping's object, whose records went in the object's
     * list member ({@code {"Contacts": […]}}), each update carrying its id ({@code ContactID}):
     * Xero answers 200 with each record in the order sent, {@code StatusAttributeString}
     * {@code OK} (or {@code WARNING}) and its id where it was saved, {@code ERROR} with its
     * {@code ValidationErrors} where it was not.
     */
    @Override
    protected List<RecordOutcome> batchOutcomes(RestTarget target, BatchCall call, String items, List<String> ids,
            Map<String, Object> answer) {
        boolean creating = ids.get(0) == null;
        List<Map<String, Object>> answered = records(answer.get(items));
        List<RecordOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            outcomes.add(i < answered.size() ? outcome(answered.get(i), target.keyPath(), creating, creating ? null : ids.get(i))
                    : null);
        }
        return outcomes;
    }

    /** One record of a batch answer: saved under its id, or refused with its validation errors. */
    private static RecordOutcome outcome(Map<String, Object> record, String key, boolean creating, String id) {
        Object saved = record.get(key);
        boolean error = "ERROR".equals(record.get("StatusAttributeString")) || Boolean.TRUE.equals(record.get("HasValidationErrors"));
        if (error) {
            String messages = records(record.get("ValidationErrors")).stream().map(each -> String.valueOf(each.get("Message")))
                    .collect(Collectors.joining("; "));
            return RecordOutcome.refused(messages.isEmpty() ? "Xero refused the record without a validation error" : messages, 400);
        }
        if (saved == null || (id != null && !id.equalsIgnoreCase(saved.toString()))) {
            return null; // not the record sent at this place: no outcome for it
        }
        return RecordOutcome.written(saved.toString(), creating);
    }
}
