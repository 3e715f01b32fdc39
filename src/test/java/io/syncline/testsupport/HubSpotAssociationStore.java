package io.syncline.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The companies of the {@link HubSpotStub}'s portal and its contacts' associations to them, as
 * HubSpot documents them: each association of a contact to a company has the types HubSpot defines
 * ({@value #UNLABELED}, contact to company, always; {@value #PRIMARY}, the contact's primary company,
 * on one company at most); writing the primary type to a company moves it from the company that
 * had it; removing a company removes every type. Read back as the v3 objects API gives them
 * ({@code associations.companies.results[]} of {@code {id, type}}) and as the v4 associations API does
 * ({@code results[]} of {@code {toObjectId, associationTypes[]}}).
 */
final class HubSpotAssociationStore {

    static final int PRIMARY = 1;
    static final int UNLABELED = 279;

    private final Map<String, Map<String, Object>> companies = new ConcurrentHashMap<>();
    /** Contact id to company id to its type ids. */
    private final Map<String, Map<String, Set<Integer>>> byContact = new ConcurrentHashMap<>();

    void addCompany(String id, Map<String, Object> properties) {
        companies.put(id, new LinkedHashMap<>(properties));
    }

    boolean hasCompany(String id) {
        return companies.containsKey(id);
    }

    Map<String, Object> company(String id) {
        return new LinkedHashMap<>(companies.get(id));
    }

    /** Whether HubSpot defines the type between a contact and a company. */
    static boolean contactToCompany(int typeId) {
        return typeId == PRIMARY || typeId == UNLABELED;
    }

    /** Associates the contact to the company with the type (and, as HubSpot does, the unlabeled type). */
    synchronized void associate(String contact, String company, int typeId) {
        Map<String, Set<Integer>> associated = byContact.computeIfAbsent(contact, key -> new LinkedHashMap<>());
        if (typeId == PRIMARY) {
            associated.values().forEach(types -> types.remove(PRIMARY));
        }
        Set<Integer> types = associated.computeIfAbsent(company, key -> new LinkedHashSet<>());
        types.add(UNLABELED);
        types.add(typeId);
    }

    /** Removes every association of the contact to the company. */
    synchronized void remove(String contact, String company) {
        byContact.getOrDefault(contact, Map.of()).remove(company);
    }

    /** The contact's companies, each with its type ids. */
    synchronized Map<String, Set<Integer>> of(String contact) {
        Map<String, Set<Integer>> copy = new LinkedHashMap<>();
        byContact.getOrDefault(contact, Map.of()).forEach((company, types) -> copy.put(company, new LinkedHashSet<>(types)));
        return copy;
    }

    /** The v3 objects API's {@code associations} member of a contact read with {@code associations=companies}; null when it has none. */
    Map<String, Object> v3(String contact) {
        List<Map<String, Object>> results = new ArrayList<>();
        of(contact).forEach((company, types) -> types.forEach(type -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", company);
            result.put("type", type == PRIMARY ? "contact_to_company" : "contact_to_company_unlabeled");
            results.add(result);
        }));
        return results.isEmpty() ? null : Map.of("companies", Map.of("results", results));
    }

    /** The v4 associations API's page of a contact's companies. */
    Map<String, Object> v4(String contact) {
        List<Map<String, Object>> results = new ArrayList<>();
        of(contact).forEach((company, types) -> {
            List<Map<String, Object>> each = new ArrayList<>();
            for (int type : types) {
                Map<String, Object> spec = new LinkedHashMap<>();
                spec.put("category", "HUBSPOT_DEFINED");
                spec.put("typeId", type);
                spec.put("label", type == PRIMARY ? "Primary" : null);
                each.add(spec);
            }
            results.add(Map.of("toObjectId", company, "associationTypes", each));
        });
        return Map.of("results", results);
    }
}
