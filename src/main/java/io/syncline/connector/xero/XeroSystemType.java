package io.syncline.connector.xero;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.RestPresetType;
import io.syncline.connector.SearchTerms;
import io.syncline.model.Ability;
import io.syncline.model.RestSystem;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.write.RestConnections;
import io.syncline.write.RestSystemType;
import io.syncline.write.RestTarget;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * System type {@code xero}: Xero's Accounting API. The preset ({@code presets/xero.yaml}) fixes
 * what Xero fixes for every organisation as data: the base URL, OAuth 2.0 with rotating refresh
 * tokens, the {@code xero-tenant-id} header, the {@code {"Contacts": [{…}]}} envelope, creates by
 * {@code PUT} on the collection, numbered pages, the rate limit, the webhook signature and its
 * intent-to-receive answer. The REST code does all of that; this plug-in adds search for matching:
 * {@code GET /Contacts?where=EmailAddress=="…"}, one request per match rule, so that a contact Xero
 * already has is linked, not created twice (Xero refuses a second contact of the same name).
 */
@Singleton
public class XeroSystemType extends RestPresetType {

    public static final String NAME = "xero";

    public static final Set<Ability> ABILITIES = Collections.unmodifiableSet(EnumSet.of(Ability.READ_PAGES, Ability.FETCH,
            Ability.SEARCH, Ability.WRITE, Ability.ERASE));

    public XeroSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(registry, rest, json, connections);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Ability> abilities() {
        return ABILITIES;
    }

    /** Xero's {@code where} filter: {@code Field=="value"}, the value's quotes and backslashes escaped. */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        String where = term.path() + "==\"" + term.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return URI.create(target.collection() + "?where=" + URLEncoder.encode(where, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** The contacts listed at the object's list member ({@code Contacts}). */
    @Override
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        RestSystem definition = (RestSystem) model.model().systems().get(system);
        String items = definition.objectOf(model.model().entities().get(entity).mappings().get(system).resource()).items();
        if (items == null && definition.pagination() != null) {
            items = definition.pagination().itemsField();
        }
        return items == null ? List.of() : records(answer.get(items));
    }
}
