package io.syncline.testsupport;

import io.syncline.connector.hubspot.HubSpotSystemType;
import io.syncline.connector.pipedrive.PipedriveSystemType;
import io.syncline.connector.xero.XeroSystemType;
import io.syncline.connector.quickbooks.QuickBooksSystemType;
import io.syncline.model.Ability;
import io.syncline.model.JdbcSystem;
import io.syncline.model.RestSystem;
import io.syncline.model.SalesforceSystem;
import io.syncline.model.SystemTypeCatalog;
import io.syncline.salesforce.SalesforceSystemType;
import io.syncline.write.JdbcSystemType;
import io.syncline.write.RestSystemType;

import java.util.Map;
import java.util.Set;

/** The application's built-in system types, for compiling a model without the application around it. */
public final class BuiltInSystemTypes implements SystemTypeCatalog {

    public static final BuiltInSystemTypes CATALOG = new BuiltInSystemTypes();

    private static final Map<String, Set<Ability>> TYPES = Map.of(JdbcSystem.TYPE, JdbcSystemType.ABILITIES,
            RestSystem.TYPE, RestSystemType.ABILITIES, SalesforceSystem.TYPE, SalesforceSystemType.ABILITIES,
            HubSpotSystemType.NAME, HubSpotSystemType.ABILITIES, XeroSystemType.NAME, XeroSystemType.ABILITIES,
            PipedriveSystemType.NAME, PipedriveSystemType.ABILITIES, QuickBooksSystemType.NAME, QuickBooksSystemType.ABILITIES);

    private BuiltInSystemTypes() {
    }

    @Override
    public Set<Ability> abilitiesOf(String type) {
        return TYPES.get(type);
    }

    @Override
    public Set<String> names() {
        return TYPES.keySet();
    }
}
