package io.syncline.connector.hubspot;

import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A HubSpot mapping's associations: a reference field mapped at {@code associations.<object>}
 * ({@code {field: company, path: associations.companies}}) is HubSpot's association of the record
 * to a record of that object, not a property. The mapped row holds it as
 * {@code {"associations": {"companies": "<id>"}}} (a list for a {@code many} reference); this
 * class turns it into what HubSpot takes and gives: a create's {@code associations[]} of
 * HubSpot-defined types, the {@code ?associations=} of a read, and a read record's
 * {@code associations.<object>.results[]} back into ids.
 *
 * <p>The type of each association is one HubSpot defines in every portal: a single reference the
 * primary one where HubSpot has it ("contact with primary company", 1), else the unlabeled one
 * (contact to company, 279); a {@code many} reference the unlabeled one.
 */
final class Associations {

    /** The record member HubSpot reads and writes associations in, and a mapping's path prefix for them. */
    static final String MEMBER = "associations";
    static final String CATEGORY = "HUBSPOT_DEFINED";

    /** HubSpot-defined types by {@code from>to}: the unlabeled type, and the primary one (0 where HubSpot has none). */
    private static final Map<String, int[]> TYPES = Map.ofEntries(
            Map.entry("contacts>companies", new int[]{279, 1}),
            Map.entry("companies>contacts", new int[]{280, 0}),
            Map.entry("deals>contacts", new int[]{3, 0}),
            Map.entry("contacts>deals", new int[]{4, 0}),
            Map.entry("deals>companies", new int[]{341, 5}),
            Map.entry("companies>deals", new int[]{342, 0}),
            Map.entry("tickets>contacts", new int[]{16, 0}),
            Map.entry("contacts>tickets", new int[]{15, 0}),
            Map.entry("tickets>companies", new int[]{339, 26}),
            Map.entry("companies>tickets", new int[]{340, 0}),
            Map.entry("deals>tickets", new int[]{27, 0}),
            Map.entry("tickets>deals", new int[]{28, 0}));

    /** One association a mapping writes and reads: to records of {@code object}, one or a list. */
    record Field(String object, boolean many) {
    }

    private final String from;
    private final List<Field> fields;

    private Associations(String from, List<Field> fields) {
        this.from = from;
        this.fields = fields;
    }

    /** The associations {@code entity}'s mapping reads and writes, from records of its {@code resource} (an object, or its path). */
    static Associations of(SyncModel model, String entity, SystemMapping mapping, String resource) {
        EntityDefinition definition = model.entities().get(entity);
        List<Field> fields = new ArrayList<>();
        for (FieldMapping field : mapping.fields()) {
            if (field.path() != null && field.path().startsWith(MEMBER + ".")) {
                CanonicalField canonical = definition == null ? null : definition.fields().get(field.field());
                fields.add(new Field(object(field.path().substring(MEMBER.length() + 1)),
                        canonical != null && canonical.referencesMany()));
            }
        }
        String path = resource.contains("?") ? resource.substring(0, resource.indexOf('?')) : resource;
        return new Associations(object(path.substring(path.lastIndexOf('/') + 1)), List.copyOf(fields));
    }

    /** The object of the mapping's records ({@code contacts}), whose associations these are. */
    String from() {
        return from;
    }

    /** Whether the mapping has any association. */
    boolean any() {
        return !fields.isEmpty();
    }

    List<Field> fields() {
        return fields;
    }

    /** The value of a read's {@code associations} parameter: the objects, comma-separated. */
    String query() {
        return String.join(",", fields.stream().map(Field::object).toList());
    }

    /** The association type of this mapping's records to {@code field}'s object: primary for one reference where HubSpot has it. */
    int typeId(Field field) {
        int[] types = TYPES.get(from + ">" + field.object());
        if (types == null) {
            throw new IllegalArgumentException("HubSpot defines no association type from " + from + " to " + field.object());
        }
        return !field.many() && types[1] != 0 ? types[1] : types[0];
    }

    /** What HubSpot takes as one association's types: {@code [{associationCategory, associationTypeId}]}. */
    List<Map<String, Object>> types(Field field) {
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("associationCategory", CATEGORY);
        type.put("associationTypeId", typeId(field));
        return List.of(type);
    }

    /** A create's {@code associations[]}: {@code {to: {id}, types}} for each id the row names. */
    List<Map<String, Object>> forCreate(Map<String, Object> row) {
        List<Map<String, Object>> associations = new ArrayList<>();
        for (Field field : fields) {
            for (String id : ids(row, field)) {
                Map<String, Object> association = new LinkedHashMap<>();
                association.put("to", Map.of("id", id));
                association.put("types", types(field));
                associations.add(association);
            }
        }
        return associations;
    }

    /** The ids the mapped row associates to {@code field}'s object, in order; none where it names none. */
    static Set<String> ids(Map<String, Object> row, Field field) {
        Set<String> ids = new LinkedHashSet<>();
        Object value = row.get(MEMBER) instanceof Map<?, ?> associations ? associations.get(field.object()) : null;
        if (value instanceof List<?> list) {
            list.stream().filter(id -> id != null && !id.toString().isEmpty()).forEach(id -> ids.add(id.toString()));
        } else if (value != null && !value.toString().isEmpty()) {
            ids.add(value.toString());
        }
        return ids;
    }

    /**
     * A record's associations as the mapping reads them: {@code {"companies": "<id>"}}, the primary
     * one first where HubSpot marks one, or a list for a {@code many} reference; nothing where the
     * record has none. HubSpot gives them as {@code associations.<object>.results[]} of
     * {@code {id, type}}, the same id once for each type it has (unlabeled and primary).
     */
    Map<String, Object> read(Map<String, Object> record) {
        Map<String, Object> read = new LinkedHashMap<>();
        Map<?, ?> given = record.get(MEMBER) instanceof Map<?, ?> map ? map : Map.of();
        for (Field field : fields) {
            List<String> ids = new ArrayList<>();
            if (given.get(field.object()) instanceof Map<?, ?> object && object.get("results") instanceof List<?> results) {
                for (Object result : results) {
                    if (result instanceof Map<?, ?> association && association.get("id") != null) {
                        String id = association.get("id").toString();
                        if (String.valueOf(association.get("type")).endsWith("_to_" + singular(field.object()))) {
                            ids.remove(id); // the primary one ("contact_to_company"), beside its unlabeled type
                            ids.add(0, id);
                        } else if (!ids.contains(id)) {
                            ids.add(id);
                        }
                    }
                }
            }
            read.put(field.object(), field.many() ? ids : ids.isEmpty() ? null : ids.get(0));
        }
        return read;
    }

    /**
     * HubSpot's object name in the plural, as the v3 objects API names it ({@code contact} is
     * {@code contacts}); an object type id of HubSpot's own objects ({@code 0-3}, the path HubSpot's
     * description gives deals) is the object it names.
     */
    static String object(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "contact", "company", "deal", "ticket" -> lower.equals("company") ? "companies" : lower + "s";
            case "0-1" -> "contacts";
            case "0-2" -> "companies";
            case "0-3" -> "deals";
            case "0-5" -> "tickets";
            default -> lower;
        };
    }

    private static String singular(String object) {
        return object.equals("companies") ? "company" : object.endsWith("s") ? object.substring(0, object.length() - 1) : object;
    }
}
