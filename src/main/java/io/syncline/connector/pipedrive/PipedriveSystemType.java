package io.syncline.connector.pipedrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
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
import java.util.Set;

/**
 * System type {@code pipedrive}: Pipedrive's API v2. The preset ({@code presets/pipedrive.yaml})
 * fixes what Pipedrive fixes for every company as data: the base URL, the API token header, the
 * {@code {"success", "data"}} answers, cursor pages, the rate limit, webhooks v2 with their
 * Basic credentials, each person fetched. The REST code does all of that; this plug-in adds what
 * data cannot say:
 * <ul>
 *   <li>a person's e-mails and phones are arrays of {@code {value, primary, label}}: a record is
 *       read with {@code email} and {@code phone} beside them (the primary one's value), so that a
 *       mapping names them as fields, and a write of {@code email} or {@code phone} sends the array
 *       with that value as the primary one;</li>
 *   <li>search for matching: {@code GET /api/v2/persons/search?term=…&fields=email&exact_match=true},
 *       one request per match rule, so a person Pipedrive has is linked, not created twice.</li>
 * </ul>
 */
@Singleton
public class PipedriveSystemType extends RestPresetType {

    public static final String NAME = "pipedrive";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH), Set.of());

    /** The fields read from and written as Pipedrive's arrays of {@code {value, primary, label}}. */
    private static final Map<String, String> LISTED = Map.of("email", "emails", "phone", "phones");
    /** Pipedrive's search fields of a person: what {@code fields=} takes. */
    private static final Set<String> SEARCHABLE = Set.of("email", "phone", "name");

    public PipedriveSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** {@code …/search?term=…&fields=email&exact_match=true}; Pipedrive searches these fields only, by 2 characters or more. */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        if (!SEARCHABLE.contains(term.path()) || term.value().length() < 2) {
            return null;
        }
        return URI.create(target.collection() + "/search?term=" + URLEncoder.encode(term.value(), StandardCharsets.UTF_8)
                + "&fields=" + term.path() + "&exact_match=true");
    }

    /** The persons of a search's answer, {@code data.items[].item}, their e-mails and phones plain strings there. */
    @Override
    protected List<Map<String, Object>> found(CompiledModel model, String entity, String system, Map<String, Object> answer) {
        List<Map<String, Object>> persons = new ArrayList<>();
        if (answer.get("data") instanceof Map<?, ?> data) {
            for (Map<String, Object> result : records(data.get("items"))) {
                if (result.get("item") instanceof Map<?, ?> item) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> person = (Map<String, Object>) item;
                    persons.add(person);
                }
            }
        }
        return persons;
    }

    /** A person as Pipedrive gives it, with {@code email} and {@code phone}: the primary entry's value, else the first's. */
    @Override
    protected Map<String, Object> read(Map<String, Object> person) {
        Map<String, Object> record = new LinkedHashMap<>(person);
        LISTED.forEach((field, list) -> {
            if (person.get(list) instanceof List<?> entries && !record.containsKey(field)) {
                record.put(field, primary(entries));
            }
        });
        return record;
    }

    /** A mapped record as Pipedrive takes it: {@code email} and {@code phone} sent as the primary entry of their arrays. */
    @Override
    protected Map<String, Object> write(Map<String, Object> row) {
        Map<String, Object> person = new LinkedHashMap<>(row);
        LISTED.forEach((field, list) -> {
            if (person.containsKey(field)) {
                Object value = person.remove(field);
                person.put(list, value == null ? List.of() : List.of(Map.of("value", value, "primary", true, "label", "work")));
            }
        });
        return person;
    }

    private static Object primary(List<?> entries) {
        Object first = null;
        for (Object entry : entries) {
            Object value = entry instanceof Map<?, ?> map ? map.get("value") : entry;
            if (entry instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("primary"))) {
                return value;
            }
            first = first == null ? value : first;
        }
        return first;
    }
}
