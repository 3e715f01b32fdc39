package io.syncline.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deals of the {@link HubSpotStub}'s portal with their associations, as HubSpot documents them: a
 * deal associated to a company has the unlabeled type (341) and, for its primary company, the primary
 * one (5); to a contact the one type HubSpot defines (3). Read back as the v3 objects API gives them
 * with {@code ?associations=companies,contacts}: {@code associations.<object>.results[]} of
 * {@code {id, type}}, the primary company once as {@code deal_to_company} and once as
 * {@code deal_to_company_unlabeled}.
 */
final class HubSpotDealStore {

    private record Deal(Map<String, Object> properties, String contact, String company) {
    }

    private final Map<String, Deal> deals = new ConcurrentHashMap<>();

    void add(String id, Map<String, Object> properties, String contact, String company) {
        deals.put(id, new Deal(new LinkedHashMap<>(properties), contact, company));
    }

    boolean has(String id) {
        return deals.containsKey(id);
    }

    Map<String, Object> properties(String id) {
        return new LinkedHashMap<>(deals.get(id).properties());
    }

    /** The v3 objects API's {@code associations} member of a deal read with {@code associations=<objects>}; null when it has none. */
    Map<String, Object> v3(String id, Set<String> objects) {
        Deal deal = deals.get(id);
        Map<String, Object> associations = new LinkedHashMap<>();
        if (objects.contains("companies") && deal.company() != null) {
            associations.put("companies", Map.of("results", List.of(
                    Map.of("id", deal.company(), "type", "deal_to_company"),
                    Map.of("id", deal.company(), "type", "deal_to_company_unlabeled"))));
        }
        if (objects.contains("contacts") && deal.contact() != null) {
            associations.put("contacts", Map.of("results", new ArrayList<>(List.of(
                    Map.of("id", deal.contact(), "type", "deal_to_contact")))));
        }
        return associations.isEmpty() ? null : associations;
    }
}
