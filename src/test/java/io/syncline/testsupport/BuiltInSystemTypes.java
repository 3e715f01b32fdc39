package io.syncline.testsupport;

import io.syncline.connector.airtable.AirtableSystemType;
import io.syncline.connector.amazonsp.AmazonSpSystemType;
import io.syncline.connector.asana.AsanaSystemType;
import io.syncline.connector.bamboohr.BambooHrSystemType;
import io.syncline.connector.ebay.EbaySystemType;
import io.syncline.connector.endpoint.EndpointSystemType;
import io.syncline.connector.googleworkspace.GoogleWorkspaceSystemType;
import io.syncline.connector.harvest.HarvestSystemType;
import io.syncline.connector.hubspot.HubSpotSystemType;
import io.syncline.connector.intercom.IntercomSystemType;
import io.syncline.connector.jdbc.JdbcSettings;
import io.syncline.connector.jdbc.JdbcSystemType;
import io.syncline.connector.jira.JiraSystemType;
import io.syncline.connector.klaviyo.KlaviyoSystemType;
import io.syncline.connector.mongodb.MongoSystemType;
import io.syncline.connector.notion.NotionSystemType;
import io.syncline.connector.okta.OktaSystemType;
import io.syncline.connector.pipedrive.PipedriveSystemType;
import io.syncline.connector.plaid.PlaidSystemType;
import io.syncline.connector.quickbooks.QuickBooksSystemType;
import io.syncline.connector.rest.RestSettings;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.salesforce.SalesforceSettings;
import io.syncline.connector.salesforce.SalesforceSystemType;
import io.syncline.connector.segment.SegmentSystemType;
import io.syncline.connector.sheets.GoogleSheetsSystemType;
import io.syncline.connector.shopify.ShopifySystemType;
import io.syncline.connector.stripe.StripeSystemType;
import io.syncline.connector.xero.XeroSystemType;
import io.syncline.model.Ability;
import io.syncline.model.SystemPresets;
import io.syncline.model.SystemTypeCatalog;
import io.syncline.model.SystemTypeRules;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The application's built-in system types, for compiling a model without the application around it. */
public final class BuiltInSystemTypes implements SystemTypeCatalog {

    public static final BuiltInSystemTypes CATALOG = new BuiltInSystemTypes();

    private static final Map<String, Set<Ability>> TYPES = Map.ofEntries(Map.entry(JdbcSettings.TYPE, JdbcSystemType.ABILITIES),
            Map.entry(RestSettings.TYPE, RestSystemType.ABILITIES), Map.entry(SalesforceSettings.TYPE, SalesforceSystemType.ABILITIES),
            Map.entry(HubSpotSystemType.NAME, HubSpotSystemType.ABILITIES), Map.entry(XeroSystemType.NAME, XeroSystemType.ABILITIES),
            Map.entry(PipedriveSystemType.NAME, PipedriveSystemType.ABILITIES),
            Map.entry(QuickBooksSystemType.NAME, QuickBooksSystemType.ABILITIES),
            Map.entry(StripeSystemType.NAME, StripeSystemType.ABILITIES),
            Map.entry(ShopifySystemType.NAME, ShopifySystemType.ABILITIES),
            Map.entry(IntercomSystemType.NAME, IntercomSystemType.ABILITIES),
            Map.entry(AsanaSystemType.NAME, AsanaSystemType.ABILITIES),
            Map.entry(KlaviyoSystemType.NAME, KlaviyoSystemType.ABILITIES),
            Map.entry(SegmentSystemType.NAME, SegmentSystemType.ABILITIES),
            Map.entry(JiraSystemType.NAME, JiraSystemType.ABILITIES),
            Map.entry(HarvestSystemType.NAME, HarvestSystemType.ABILITIES),
            Map.entry(NotionSystemType.NAME, NotionSystemType.ABILITIES),
            Map.entry(AirtableSystemType.NAME, AirtableSystemType.ABILITIES),
            Map.entry(OktaSystemType.NAME, OktaSystemType.ABILITIES),
            Map.entry(GoogleWorkspaceSystemType.NAME, GoogleWorkspaceSystemType.ABILITIES),
            Map.entry(AmazonSpSystemType.NAME, AmazonSpSystemType.ABILITIES),
            Map.entry(EbaySystemType.NAME, EbaySystemType.ABILITIES),
            Map.entry(BambooHrSystemType.NAME, BambooHrSystemType.ABILITIES),
            Map.entry(GoogleSheetsSystemType.NAME, GoogleSheetsSystemType.ABILITIES),
            Map.entry(EndpointSystemType.NAME, EndpointSystemType.ABILITIES),
            Map.entry(MongoSystemType.NAME, MongoSystemType.ABILITIES), Map.entry(PlaidSystemType.NAME, PlaidSystemType.ABILITIES));

    private BuiltInSystemTypes() {
    }

    /** A type of its own, else rest's for a preset that needs no plug-in (as the application's SystemTypes). */
    @Override
    public Set<Ability> abilitiesOf(String type) {
        return TYPES.get(served(type));
    }

    private static String served(String type) {
        return type != null && !TYPES.containsKey(type) && SystemPresets.of(type).isPresent() ? RestSettings.TYPE : type;
    }

    private static final Map<String, SystemTypeRules> RULES = Map.of(JdbcSettings.TYPE, JdbcSystemType.RULES,
            SalesforceSettings.TYPE, SalesforceSystemType.RULES, GoogleSheetsSystemType.NAME, GoogleSheetsSystemType.RULES,
            EndpointSystemType.NAME, EndpointSystemType.RULES, MongoSystemType.NAME, MongoSystemType.RULES,
            PlaidSystemType.NAME, PlaidSystemType.RULES, QuickBooksSystemType.NAME, QuickBooksSystemType.RULES);

    /** Salesforce's, JDBC's, Google Sheets', Camel endpoints' and MongoDB's own rules; every other built-in type is served by rest's. */
    @Override
    public SystemTypeRules rulesOf(String type) {
        return !TYPES.containsKey(served(type)) ? SystemTypeRules.NONE : RULES.getOrDefault(served(type), RestSystemType.RULES);
    }

    @Override
    public Set<String> names() {
        return TYPES.keySet();
    }

    /** The built-in types and one more, {@code type}, that can do only {@code abilities} and has no rules of its own. */
    public static SystemTypeCatalog with(String type, Set<Ability> abilities) {
        return new SystemTypeCatalog() {

            @Override
            public Set<Ability> abilitiesOf(String name) {
                return name.equals(type) ? abilities : CATALOG.abilitiesOf(name);
            }

            @Override
            public Set<String> names() {
                Set<String> names = new TreeSet<>(CATALOG.names());
                names.add(type);
                return names;
            }

            @Override
            public SystemTypeRules rulesOf(String name) {
                return CATALOG.rulesOf(name);
            }
        };
    }
}
