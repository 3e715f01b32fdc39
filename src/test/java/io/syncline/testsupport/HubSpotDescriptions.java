package io.syncline.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * HubSpot's published descriptions of the APIs Syncline calls (contacts, companies, deals, and the
 * v4 associations of records), each request a stub received checked against the one of its path:
 * a request to an object none of them describes is a violation of its own.
 */
public final class HubSpotDescriptions {

    public static final ApiDescription CONTACTS = ApiDescription.published("hubspot/contacts.json");
    public static final ApiDescription COMPANIES = ApiDescription.published("hubspot/companies.json");
    public static final ApiDescription DEALS = ApiDescription.published("hubspot/deals.json");
    public static final ApiDescription ASSOCIATIONS = ApiDescription.published("hubspot/associations.json");

    private HubSpotDescriptions() {
    }

    /** What HubSpot's descriptions find wrong with the API requests received (the stub's token endpoint aside). */
    public static List<String> violations(List<HubSpotStub.Received> received) {
        List<String> violations = new ArrayList<>();
        for (HubSpotStub.Received request : received) {
            if (request.path().startsWith(HubSpotStub.TOKEN_PATH)) {
                continue;
            }
            ApiDescription description = describing(request.path());
            if (description == null) {
                violations.add(request.method() + " " + request.path() + ": no HubSpot description checked here has it");
            } else {
                violations.addAll(description.violations(List.of(request)));
            }
        }
        return violations;
    }

    /** The description of the API at {@code path}, or null. */
    static ApiDescription describing(String path) {
        if (path.startsWith(HubSpotStub.ASSOCIATIONS + "/")) {
            return ASSOCIATIONS;
        }
        if (within(path, HubSpotStub.CONTACTS)) {
            return CONTACTS;
        }
        if (within(path, HubSpotStub.COMPANIES)) {
            return COMPANIES;
        }
        // HubSpot takes deals at /deals too, but its description addresses them by object type id only
        return within(path, HubSpotStub.DEALS_BY_TYPE) ? DEALS : null;
    }

    private static boolean within(String path, String collection) {
        return path.equals(collection) || path.startsWith(collection + "/");
    }

    /** Which files the requests are checked against. */
    public static String used() {
        return String.join(", ", CONTACTS.used(), COMPANIES.used(), DEALS.used(), ASSOCIATIONS.used());
    }
}
