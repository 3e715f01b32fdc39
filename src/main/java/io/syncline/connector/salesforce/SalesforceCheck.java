package io.syncline.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.connector.spi.Mappings;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.model.CaptureSpec;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The check of a Salesforce org before its first event, by the calls a sync itself makes through
 * Camel's Salesforce component: a session and the org's daily API allowance ({@code /limits}); each
 * mapped object's describe ({@code /sobjects/{object}/describe}): the object, every field a mapping
 * names, the field a new record is upserted by marked External ID, and the fields Syncline writes
 * writable by the integration user; and for each captured object its selection for Change Data
 * Capture, read with the Tooling API ({@code PlatformEventChannelMember}).
 */
final class SalesforceCheck {

    /** The Change Data Capture channel every object selected in Setup publishes on. */
    private static final String STANDARD_CHANNEL = "ChangeEvents";

    private final SalesforceClient client;

    SalesforceCheck(SalesforceClient client) {
        this.client = client;
    }

    List<SystemCheck> check(String system, SyncModel model) {
        SalesforceSettings settings = SalesforceSettings.of(model.systems().get(system));
        SortedMap<String, String> objects = new TreeMap<>();
        Mappings.ofSystem(model, system).forEach((entity, mapping) -> {
            String sobject = SalesforceMappingSettings.of(mapping).sobject();
            if (sobject != null) {
                objects.put(entity, sobject);
            }
        });
        List<SystemCheck> checks = new ArrayList<>();
        if (objects.isEmpty()) {
            checks.add(SystemCheck.passed("reachable", "no mapping names an sobject of " + system + ": Syncline calls nothing of it"));
            return checks;
        }
        SalesforceClient.Target any = new SalesforceClient.Target(system, settings, objects.get(objects.firstKey()));
        if (!credentials(system, any, checks)) {
            return checks;
        }
        objects.forEach((entity, sobject) -> checks.add(object(model, entity, system,
                new SalesforceClient.Target(system, settings, sobject))));
        captures(model, system, settings, objects, checks);
        return checks;
    }

    private boolean credentials(String system, SalesforceClient.Target target, List<SystemCheck> checks) {
        try {
            JsonNode daily = client.limits(target).path("DailyApiRequests");
            checks.add(SystemCheck.passed("credentials", "logged in to " + target.settings().loginUrl()
                    + (daily.has("Remaining") ? "; " + daily.path("Remaining").asLong() + " of " + daily.path("Max").asLong()
                            + " daily API requests left" : "")));
            return true;
        } catch (SalesforceCallException | RuntimeException e) {
            checks.add(SystemCheck.failed("credentials", "Salesforce refused the session or did not answer: " + e.getMessage(),
                    "give " + system + " the connected app's client id and secret (or the flow's key or password) that the org"
                            + " accepts, from the environment variables or Secret the system names, and make sure "
                            + target.settings().loginUrl() + " answers from this deployment"));
            return false;
        }
    }

    /** The object's describe against what the entity's mapping names and writes. */
    private SystemCheck object(SyncModel model, String entity, String system, SalesforceClient.Target target) {
        String check = "object " + target.sobject() + " (" + entity + ")";
        Map<String, JsonNode> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try {
            for (JsonNode field : client.describe(target).path("fields")) {
                fields.put(field.path("name").asText(), field);
            }
        } catch (SalesforceCallException e) {
            String fix = "correct entities." + entity + ".mappings." + system + ".sobject (the object's API name), or give the"
                    + " integration user's profile or permission set access to " + target.sobject();
            return SystemCheck.failed(check, SalesforceClient.gone(e.status(), e.errorCode())
                    ? "the org has no object " + target.sobject() + " the integration user can see" : e.getMessage(), fix);
        } catch (RuntimeException e) {
            return SystemCheck.failed(check, e.getMessage(), "make sure the integration user may describe " + target.sobject());
        }
        SystemMapping mapping = Mappings.of(model, entity, system);
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        for (FieldMapping field : mapping.fields()) {
            String name = field.externalId() != null ? SalesforceSystemType.lookupField(field.path()) : field.path();
            if (name == null || name.contains(".")) {
                continue;
            }
            named.add(name);
            JsonNode described = fields.get(name);
            if (described == null) {
                problems.add("no field " + name);
                fixes.add("create the " + target.sobject() + " field " + name + " (or give the integration user field-level"
                        + " access to it), or correct the mapping's path");
            } else if (field.direction().writes() && !"Id".equalsIgnoreCase(name)
                    && !described.path("createable").asBoolean(false) && !described.path("updateable").asBoolean(false)) {
                problems.add(name + " is read-only for the integration user");
                fixes.add("give the integration user edit access to " + target.sobject() + "." + name
                        + " (field-level security), or make the mapping read it only (direction: read)");
            }
        }
        String upsertBy = SalesforceSystemType.externalIdField(model, entity, system);
        JsonNode key = upsertBy == null ? null : fields.get(upsertBy);
        if (key != null && !key.path("externalId").asBoolean(false) && !key.path("idLookup").asBoolean(false)) {
            problems.add(upsertBy + " is not an External ID field, which new records are upserted by");
            fixes.add("mark " + target.sobject() + "." + upsertBy + " as External ID (Setup > Object Manager > "
                    + target.sobject() + " > Fields & Relationships > " + upsertBy + " > Edit > External ID)");
        }
        if (problems.isEmpty()) {
            return SystemCheck.passed(check, "has the fields the mapping names: " + String.join(", ", named)
                    + (upsertBy == null ? "" : "; new records upserted by " + upsertBy));
        }
        return SystemCheck.failed(check, String.join("; ", problems), String.join("; ", fixes));
    }

    /** Each captured object selected for Change Data Capture on its channel. */
    private void captures(SyncModel model, String system, SalesforceSettings settings, Map<String, String> objects,
            List<SystemCheck> checks) {
        Map<String, String> channels = new TreeMap<>();
        model.entities().forEach((entity, definition) -> {
            CaptureSpec capture = definition.captures().get(system);
            if (capture != null && objects.containsKey(entity)) {
                channels.put(objects.get(entity), capture.channel());
            }
        });
        if (channels.isEmpty()) {
            return;
        }
        Set<String> selected = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        try {
            JsonNode answer = client.toolingQuery(new SalesforceClient.Target(system, settings, channels.keySet().iterator().next()),
                    "SELECT EventChannel, SelectedEntity FROM PlatformEventChannelMember");
            for (JsonNode member : answer.path("records")) {
                selected.add(member.path("EventChannel").asText() + "/" + member.path("SelectedEntity").asText());
            }
        } catch (SalesforceCallException | RuntimeException e) {
            checks.add(SystemCheck.notChecked("change data capture", "the org's Change Data Capture selection could not be read ("
                    + e.getMessage() + "): make sure " + String.join(", ", channels.keySet()) + " are selected in Setup >"
                    + " Integrations > Change Data Capture"));
            return;
        }
        channels.forEach((sobject, channel) -> {
            String event = changeEvent(sobject);
            // an object's own channel (/data/ContactChangeEvent) is the standard channel's; a custom one is /data/Name__chn
            String name = channel == null || !channel.endsWith("__chn") ? STANDARD_CHANNEL : channel.substring(channel.lastIndexOf('/') + 1);
            if (selected.contains(name + "/" + event)) {
                checks.add(SystemCheck.passed("change data capture " + sobject, event + " is selected on " + name));
            } else {
                checks.add(SystemCheck.failed("change data capture " + sobject, sobject + "'s changes are not published on "
                        + name + ": the capture would receive nothing",
                        STANDARD_CHANNEL.equals(name) ? "select " + sobject + " in Setup > Integrations > Change Data Capture"
                                : "add " + event + " to the channel " + name + " (a PlatformEventChannelMember)"));
            }
        });
    }

    /** The change event entity of an object: {@code ContactChangeEvent}, {@code Foo__ChangeEvent} for {@code Foo__c}. */
    static String changeEvent(String sobject) {
        return sobject.toLowerCase(Locale.ROOT).endsWith("__c") ? sobject.substring(0, sobject.length() - 1) + "ChangeEvent"
                : sobject + "ChangeEvent";
    }
}
